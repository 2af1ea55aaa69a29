package org.ringmaster.daemon.config;

import java.util.Map;
import java.util.Optional;

/**
 * A {@code logging.logger_subsys} section: overrides for one subsystem (Corosync names such as
 * {@code QUORUM}, {@code CPG}, {@code TOTEM}). Empty optionals inherit the top-level logging value.
 *
 * @param subsys {@code subsys}, required.
 */
public record LoggerSubsysConfig(String subsys, Optional<Boolean> toStderr, Optional<Boolean> toLogfile,
                                 Optional<Boolean> toSyslog, Optional<String> logfile, Optional<String> debug,
                                 Optional<String> syslogPriority, Optional<String> logfilePriority,
                                 SourcePosition position) {

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "tags", "corosync trace tags do not apply to ringmaster",
            "fileline", "only valid at the top level of logging",
            "function_name", "only valid at the top level of logging",
            "timestamp", "only valid at the top level of logging",
            "syslog_facility", "only valid at the top level of logging");

    static Optional<LoggerSubsysConfig> read(SectionReader r) {
        Optional<String> subsys = r.string("subsys").filter(s -> !s.isEmpty());
        if (subsys.isEmpty()) {
            r.diagnostics().error(r.section().position(), r.key("subsys"),
                    "every logger_subsys section needs 'subsys: NAME' (e.g. subsys: QUORUM)");
        }
        LoggerSubsysConfig c = new LoggerSubsysConfig(subsys.orElse(""), r.yesNo("to_stderr"), r.yesNo("to_logfile"),
                r.yesNo("to_syslog"), r.string("logfile"), r.choice("debug", LoggingConfig.DEBUG),
                r.choice("syslog_priority", LoggingConfig.PRIORITIES),
                r.choice("logfile_priority", LoggingConfig.PRIORITIES), r.section().position());
        r.finish(NOT_IMPLEMENTED);
        return subsys.isPresent() ? Optional.of(c) : Optional.empty();
    }
}
