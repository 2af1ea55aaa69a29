package org.ringmaster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.ConfigException;
import org.ringmaster.daemon.config.LoggingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The logging section becomes logback's configuration: file, stderr and syslog at once, per subsystem. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DaemonLoggingTest {

    private DaemonLogging applied;

    @AfterEach
    void restoreTestLogging() throws Exception {
        if (applied != null) {
            applied.close();
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    private static LoggingConfig logging(String section) throws Exception {
        return ClusterConfig.parse("t.conf", "totem {\n version: 2\n transport: udpu\n}\nnodelist {\n node {\n"
                + "  nodeid: 1\n  ring0_addr: 127.0.0.1\n }\n}\nlogging {\n" + section + "}\n").logging();
    }

    /** Receives syslog datagrams on a loopback port the test binds. */
    private static final class SyslogReceiver implements AutoCloseable {
        final DatagramSocket socket;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader;

        SyslogReceiver() throws Exception {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(200);
            reader = new Thread(() -> {
                byte[] buf = new byte[9000];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                        lines.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                    } catch (SocketTimeoutException e) {
                        // Poll until closed.
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "test-syslog");
            reader.start();
        }

        String address() {
            return "udp:127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            reader.join(2000);
        }
    }

    @Test
    void fileAndSyslogAtOnceEachWithItsOwnThreshold(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ringmaster.log");
        try (SyslogReceiver syslog = new SyslogReceiver()) {
            applied = DaemonLogging.configure(logging(" to_stderr: no\n to_logfile: yes\n logfile: " + file + "\n"
                    + " to_syslog: yes\n syslog_address: " + syslog.address() + "\n syslog_facility: local3\n"
                    + " syslog_priority: warning\n logfile_priority: info\n"));
            assertThat(applied.notes()).isEmpty();
            Logger log = LoggerFactory.getLogger("org.ringmaster.daemon.Sample");
            log.info("an info line");
            log.warn("a warning line");
            log.debug("a debug line");
            // local3 = 19: warning 19*8+4 = 156. RFC 5424: <PRI>1 TIME HOST APP PID MSGID - MSG
            await().atMost(Duration.ofSeconds(5)).until(() -> !syslog.lines.isEmpty());
            assertThat(syslog.lines).singleElement().asString()
                    .matches("<156>1 \\d{4}-\\d\\d-\\d\\dT\\S+ \\S+ ringmasterd " + ProcessHandle.current().pid()
                            + " Sample - a warning line");
            assertThat(Files.readString(file)).contains("INFO  Sample: an info line")
                    .contains("WARN  Sample: a warning line").doesNotContain("a debug line");
        }
    }

    @Test
    void subsystemsGetTheirOwnLevelAndTargets(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("main.log");
        Path quorum = dir.resolve("quorum.log");
        applied = DaemonLogging.configure(logging(" to_syslog: no\n to_stderr: no\n to_logfile: yes\n logfile: " + main
                + "\n timestamp: off\n logger_subsys {\n  subsys: QUORUM\n  debug: on\n  logfile: " + quorum + "\n }\n"
                + " logger_subsys {\n  subsys: AMF\n  debug: on\n }\n"));
        LoggerFactory.getLogger("org.ringmaster.quorum.VoteQuorum").debug("votes counted");
        LoggerFactory.getLogger("org.ringmaster.totem.TotemRing").debug("not shown");
        LoggerFactory.getLogger("org.ringmaster.totem.TotemRing").info("ring formed");
        assertThat(Files.readString(quorum)).isEqualTo("DEBUG VoteQuorum: votes counted\n");
        assertThat(Files.readString(main)).isEqualTo("INFO  TotemRing: ring formed\n");
        assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.ringmaster.quorum")).getLevel())
                .isEqualTo(Level.DEBUG);
        assertThat(applied.notes()).singleElement().asString()
                .startsWith("logging.logger_subsys AMF (t.conf:").contains("no such ringmaster subsystem");
    }

    @Test
    void anUnwritableLogfileIsNamedAndStderrTakesOver(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("no-such-dir").resolve("x.log");
        applied = DaemonLogging.configure(logging(" to_syslog: no\n to_stderr: no\n to_logfile: yes\n logfile: " + bad
                + "\n"));
        assertThat(applied.notes()).singleElement().asString()
                .startsWith("logging.logfile " + bad + ": cannot be opened for writing").endsWith("logging to stderr instead");
        LoggerFactory.getLogger("org.ringmaster.daemon.Sample").info("still logged");
    }

    @Test
    void aMissingSyslogSocketIsSaidNotPretended(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("no-log-socket");
        applied = DaemonLogging.configure(logging(" syslog_address: " + socket + "\n"));
        assertThat(applied.notes()).singleElement().asString()
                .isEqualTo("logging.to_syslog: " + socket + " does not exist (no local syslog daemon?); set "
                        + "logging.syslog_address to another socket or udp:HOST:PORT; not logging to syslog");
        assertThat(applied.syslogTarget()).isEmpty();
    }

    @Test
    void theLoggerBridgeDeliversPrioritisedLines() throws Exception {
        // The /dev/log path goes through util-linux logger(1); pointed at a UDP port here because a
        // Java test cannot bind a Unix datagram socket. logger(1) is in Debian's essential bsdutils.
        try (SyslogReceiver syslog = new SyslogReceiver();
             SyslogSink sink = SyslogSink.LoggerProcess.start(List.of("-n", "127.0.0.1", "-P",
                     String.valueOf(syslog.socket.getLocalPort()), "-d"), "test")) {
            sink.send(3 * 8 + 3, "Sample", "an error line");
            await().atMost(Duration.ofSeconds(5)).until(() -> !syslog.lines.isEmpty());
            assertThat(syslog.lines.get(0)).startsWith("<27>").contains("ringmasterd")
                    .contains(String.valueOf(ProcessHandle.current().pid())).endsWith("Sample: an error line");
        }
    }

    @Test
    void aLogbackFileOnTheCommandLineWins() throws Exception {
        String saved = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "/etc/ringmaster/logback.xml");
        try {
            applied = DaemonLogging.configure(logging(" debug: on\n"));
            assertThat(applied.notes()).containsExactly("logging: -Dlogback.configurationFile=/etc/ringmaster/logback.xml "
                    + "is set; the logging section is not applied");
            assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.ringmaster")).getEffectiveLevel())
                    .isNotEqualTo(Level.DEBUG);
        } finally {
            if (saved == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", saved);
            }
        }
    }

    @Test
    void aBadSyslogAddressIsAConfigErrorWithItsPlace() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> logging(" syslog_address: loghost:514\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.conf:12:18: error: logging.syslog_address")
                .hasMessageContaining("logging.syslog_address")
                .hasMessageContaining("udp:HOST:PORT");
    }
}
