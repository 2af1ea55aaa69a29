package org.ringmaster.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ringmaster.daemon.config.LoggerSubsysConfig;
import org.ringmaster.daemon.config.LoggingConfig;

/**
 * Turns the {@code logging} section into slf4j-simple's settings (system properties, which it
 * reads once, so this runs before the first logger is created). Settings given on the command line
 * with {@code -Dorg.slf4j.simpleLogger.*} win.
 *
 * <p>What maps: {@code to_logfile}+{@code logfile} (else stderr), {@code debug} on/trace,
 * {@code logfile_priority}, {@code timestamp} and {@code logger_subsys} for TOTEM, QUORUM, CPG and
 * MAIN. What does not: syslog (not implemented; under systemd stderr goes to the journal anyway),
 * and writing to stderr and a file at once (the file wins). {@link #notes} says so in the log.
 */
final class DaemonLogging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final Map<String, List<String>> SUBSYSTEMS = Map.of(
            "TOTEM", List.of("org.ringmaster.totem", "org.ringmaster.membership"),
            "TOTEMSRP", List.of("org.ringmaster.totem", "org.ringmaster.membership"),
            "KNET", List.of("org.ringmaster.membership.link"),
            "QUORUM", List.of("org.ringmaster.quorum"),
            "VOTEQ", List.of("org.ringmaster.quorum"),
            "CPG", List.of("org.ringmaster.membership.group"),
            "MAIN", List.of("org.ringmaster.daemon"));

    private final List<String> notes = new ArrayList<>();

    /** Sets the properties; returns this for {@link #notes()}. */
    static DaemonLogging configure(LoggingConfig logging) {
        DaemonLogging d = new DaemonLogging();
        d.apply(logging);
        return d;
    }

    /** What could not be done as configured, to be logged once logging runs. */
    List<String> notes() {
        return notes;
    }

    private void apply(LoggingConfig c) {
        if (c.toLogfile() && c.logfile().isPresent()) {
            set("logFile", c.logfile().get());
            if (c.toStderr()) {
                notes.add("logging: to_stderr and to_logfile are both on; logging goes to " + c.logfile().get() + " only");
            }
        } else {
            set("logFile", "System.err");
        }
        if (c.toSyslog()) {
            notes.add("logging.to_syslog: syslog output is not implemented; logging to "
                    + (c.toLogfile() ? c.logfile().orElse("stderr") : "stderr (the journal, under systemd)"));
        }
        set("defaultLogLevel", level(c.debug(), c.logfilePriority()));
        set("showDateTime", String.valueOf(!"off".equals(c.timestamp())));
        set("dateTimeFormat", "hires".equals(c.timestamp()) ? "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" : "yyyy-MM-dd'T'HH:mm:ssXXX");
        set("showThreadName", "false");
        set("showShortLogName", "true");
        set("levelInBrackets", "false");
        for (LoggerSubsysConfig s : c.subsystems()) {
            List<String> packages = SUBSYSTEMS.get(s.subsys().toUpperCase(Locale.ROOT));
            if (packages == null) {
                notes.add("logging.logger_subsys " + s.subsys() + ": no such ringmaster subsystem (known: "
                        + String.join(", ", new java.util.TreeSet<>(SUBSYSTEMS.keySet())) + "); ignored");
                continue;
            }
            String level = level(s.debug().orElse(c.debug()), s.logfilePriority().orElse(c.logfilePriority()));
            packages.forEach(p -> set("log." + p, level));
        }
    }

    private static String level(String debug, String priority) {
        if ("trace".equals(debug)) {
            return "trace";
        }
        if ("on".equals(debug)) {
            return "debug";
        }
        return switch (priority) {
            case "debug" -> "debug";
            case "warning" -> "warn";
            case "err", "crit", "alert", "emerg" -> "error";
            default -> "info";
        };
    }

    private static void set(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
