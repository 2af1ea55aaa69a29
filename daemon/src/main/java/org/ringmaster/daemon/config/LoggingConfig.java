package org.ringmaster.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code logging} section (corosync.conf(5)).
 *
 * @param toStderr        {@code to_stderr}; default yes.
 * @param toLogfile       {@code to_logfile}; default no. Only effective with a {@code logfile}.
 * @param toSyslog        {@code to_syslog}; default yes.
 * @param logfile         {@code logfile}; no default.
 * @param debug           {@code debug}: off, on or trace; default off.
 * @param timestamp       {@code timestamp}: off, on or hires; default hires.
 * @param syslogFacility  {@code syslog_facility}: daemon, local0..local7; default daemon.
 * @param syslogPriority  {@code syslog_priority}; default info.
 * @param logfilePriority {@code logfile_priority}; default info.
 * @param subsystems      {@code logger_subsys} sections: per-subsystem overrides.
 * @param syslogAddress   {@code syslog_address} (Ringmaster's own key): where syslog lines go. A path
 *                        (default {@value #DEFAULT_SYSLOG_SOCKET}) is a local Unix datagram socket, reached
 *                        through one long-lived util-linux {@code logger} process because Java 17 cannot
 *                        send Unix datagrams; {@code udp:HOST:PORT} (an IP literal; {@code [v6]:port})
 *                        sends RFC 5424 datagrams from the daemon itself.
 */
public record LoggingConfig(boolean toStderr, boolean toLogfile, boolean toSyslog, Optional<String> logfile,
                            String debug, String timestamp, String syslogFacility, String syslogPriority,
                            String logfilePriority, List<LoggerSubsysConfig> subsystems, String syslogAddress) {

    public static final String DEFAULT_SYSLOG_SOCKET = "/dev/log";

    static final List<String> DEBUG = List.of("off", "on", "trace");
    static final List<String> TIMESTAMP = List.of("off", "on", "hires");
    static final List<String> FACILITIES = List.of("daemon", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7");
    static final List<String> PRIORITIES = List.of("alert", "crit", "debug", "emerg", "err", "info", "notice",
            "warning");

    public LoggingConfig {
        subsystems = List.copyOf(subsystems);
    }

    /** Everything at its default: stderr and syslog, info level. */
    public static LoggingConfig defaults() {
        return new LoggingConfig(true, false, true, Optional.empty(), "off", "hires", "daemon", "info", "info",
                List.of(), DEFAULT_SYSLOG_SOCKET);
    }

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "fileline", "source file and line are not added to log lines",
            "function_name", "function names are not added to log lines",
            "blackbox", "there is no flight-recorder blackbox",
            "tags", "corosync trace tags do not apply to ringmaster",
            "syslog_level", "obsolete; use syslog_priority",
            "logging_daemon {}", "obsolete corosync 1 section; use logger_subsys");

    static LoggingConfig read(SectionReader r) {
        boolean toStderr = r.yesNo("to_stderr").orElse(true);
        boolean toLogfile = r.yesNo("to_logfile").orElse(false);
        boolean toSyslog = r.yesNo("to_syslog").orElse(true);
        Optional<String> logfile = r.string("logfile").filter(s -> !s.isEmpty());
        if (toLogfile && logfile.isEmpty()) {
            SourcePosition at = r.entry("to_logfile").get().valuePosition();
            r.diagnostics().warn(at, r.key("to_logfile"), "to_logfile is yes but no logfile is set; nothing is "
                    + "written to a file");
        }
        String debug = r.choice("debug", DEBUG).orElse("off");
        String timestamp = r.choice("timestamp", TIMESTAMP).orElse("hires");
        String facility = r.choice("syslog_facility", FACILITIES).orElse("daemon");
        String syslogPriority = r.choice("syslog_priority", PRIORITIES).orElse("info");
        String logfilePriority = r.choice("logfile_priority", PRIORITIES).orElse("info");
        List<LoggerSubsysConfig> subsystems = new ArrayList<>();
        for (ConfigSection s : r.sections("logger_subsys")) {
            LoggerSubsysConfig.read(new SectionReader(s, r.key("logger_subsys"), r.diagnostics()))
                    .ifPresent(subsystems::add);
        }
        String syslogAddress = r.string("syslog_address", DEFAULT_SYSLOG_SOCKET);
        if (!syslogAddress.startsWith("/") && udpTarget(syslogAddress).isEmpty()) {
            r.diagnostics().error(r.entry("syslog_address").get().valuePosition(), r.key("syslog_address"),
                    "expected a socket path (e.g. /dev/log) or udp:HOST:PORT with an IP address (e.g. "
                    + "udp:127.0.0.1:514) but found '" + syslogAddress + "'");
        }
        r.finish(NOT_IMPLEMENTED);
        return new LoggingConfig(toStderr, toLogfile && logfile.isPresent(), toSyslog, logfile, debug, timestamp,
                facility, syslogPriority, logfilePriority, subsystems, syslogAddress);
    }

    /** {@code udp:HOST:PORT} as an address, if {@code value} is one. */
    public static Optional<java.net.InetSocketAddress> udpTarget(String value) {
        if (!value.startsWith("udp:")) {
            return Optional.empty();
        }
        String rest = value.substring(4);
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Addresses.literal(host).map(a -> new java.net.InetSocketAddress(a, port));
    }
}
