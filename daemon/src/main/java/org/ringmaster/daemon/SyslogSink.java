package org.ringmaster.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ringmaster.daemon.config.LoggingConfig;

/**
 * Where syslog lines go: {@link #send} one message with its priority (facility * 8 + severity).
 *
 * <p>Two ways, chosen by {@code logging.syslog_address}. Java 17 has no Unix datagram sockets, and
 * the local syslog socket ({@code /dev/log}) is one; so for a socket path one util-linux
 * {@code logger} process is started for the daemon's lifetime and fed {@code <PRI>message} lines on
 * its stdin ({@code --prio-prefix}); it exits when the daemon does (end of its stdin). For
 * {@code udp:HOST:PORT} the daemon itself sends RFC 5424 datagrams.
 */
interface SyslogSink extends AutoCloseable {

    /** Sends one message; {@code priority} = facility * 8 + severity. */
    void send(int priority, String tag, String message) throws IOException;

    /** Where it sends, for the log. */
    String describe();

    @Override
    void close();

    /** Syslog cannot be reached this way; the message says why. */
    final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The sink {@code logging.syslog_address} asks for. */
    static SyslogSink open(LoggingConfig c) {
        Optional<InetSocketAddress> udp = LoggingConfig.udpTarget(c.syslogAddress());
        if (udp.isPresent()) {
            return new Udp(udp.get());
        }
        Path socket = Path.of(c.syslogAddress());
        if (!Files.exists(socket)) {
            throw new Unavailable(socket + " does not exist (no local syslog daemon?); set logging.syslog_address "
                    + "to another socket or udp:HOST:PORT");
        }
        return LoggerProcess.start(List.of("-u", socket.toString(), "--socket-errors=off"), socket.toString());
    }

    /** Syslog facility code of a {@code syslog_facility} value. */
    static int facility(String name) {
        return switch (name) {
            case "daemon" -> 3;
            case "local0" -> 16;
            case "local1" -> 17;
            case "local2" -> 18;
            case "local3" -> 19;
            case "local4" -> 20;
            case "local5" -> 21;
            case "local6" -> 22;
            case "local7" -> 23;
            default -> throw new IllegalArgumentException("syslog_facility " + name);
        };
    }

    /** RFC 5424 datagrams from the daemon itself. */
    final class Udp implements SyslogSink {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
                .withZone(ZoneOffset.UTC);
        private final InetSocketAddress target;
        private final DatagramChannel channel;
        private final String host;
        private final long pid = ProcessHandle.current().pid();

        Udp(InetSocketAddress target) {
            this.target = target;
            try {
                this.channel = DatagramChannel.open();
            } catch (IOException e) {
                throw new Unavailable("cannot open a UDP socket: " + e);
            }
            String h;
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                h = "-";
            }
            this.host = h.isEmpty() ? "-" : h.replace(' ', '_');
        }

        @Override
        public void send(int priority, String tag, String message) throws IOException {
            // <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
            String line = "<" + priority + ">1 " + TIME.format(Instant.now()) + " " + host + " ringmasterd " + pid
                    + " " + msgid(tag) + " - " + message;
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            channel.send(ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, 8192)), target);
        }

        private static String msgid(String tag) {
            StringBuilder b = new StringBuilder();
            for (char ch : tag.toCharArray()) {
                if (ch > 32 && ch < 127 && b.length() < 32) {
                    b.append(ch);
                }
            }
            return b.length() == 0 ? "-" : b.toString();
        }

        @Override
        public String describe() {
            return "udp:" + target.getAddress().getHostAddress() + ":" + target.getPort() + " (RFC 5424)";
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing at shutdown: nothing to tell.
            }
        }
    }

    /** A util-linux {@code logger} child reading {@code <PRI>message} lines. */
    final class LoggerProcess implements SyslogSink {
        private final Process process;
        private final OutputStream in;
        private final String target;

        private LoggerProcess(Process process, String target) {
            this.process = process;
            this.in = process.getOutputStream();
            this.target = target;
        }

        /** Starts {@code logger --prio-prefix -t ringmasterd --id=PID} plus {@code targetArgs}. */
        static LoggerProcess start(List<String> targetArgs, String target) {
            List<String> command = new ArrayList<>(List.of("logger", "--prio-prefix", "-t", "ringmasterd",
                    "--id=" + ProcessHandle.current().pid()));
            command.addAll(targetArgs);
            try {
                Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                return new LoggerProcess(p, target);
            } catch (IOException e) {
                throw new Unavailable("cannot start util-linux logger(1) to reach " + target + " (" + e.getMessage()
                        + ")");
            }
        }

        @Override
        public synchronized void send(int priority, String tag, String message) throws IOException {
            if (!process.isAlive()) {
                throw new IOException("logger(1) exited with " + process.exitValue());
            }
            in.write(("<" + priority + ">" + tag + ": " + message + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        @Override
        public String describe() {
            return target + " (via logger(1), pid " + process.pid() + ")";
        }

        @Override
        public synchronized void close() {
            try {
                in.close();
            } catch (IOException e) {
                // It is going away either way.
            }
            try {
                if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
