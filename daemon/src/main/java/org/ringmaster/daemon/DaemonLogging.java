package org.ringmaster.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.ringmaster.daemon.config.LoggerSubsysConfig;
import org.ringmaster.daemon.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Turns the {@code logging} section into logback's configuration, in code: stderr, a log file and
 * syslog at once, each with its own threshold ({@code logfile_priority} for stderr and the file,
 * {@code syslog_priority} for syslog; {@code debug: on|trace} lowers all of them, as in Corosync),
 * and per {@code logger_subsys} its own targets, file and thresholds. Running it again (config
 * reload) replaces the previous configuration. {@code -Dlogback.configurationFile=...} on the
 * command line wins: then the section is not applied and {@link #notes()} says so.
 */
final class DaemonLogging implements AutoCloseable {

    /** Corosync subsystem names and the packages that do that work here. */
    static final Map<String, List<String>> SUBSYSTEMS = Map.of(
            "TOTEM", List.of("org.ringmaster.totem", "org.ringmaster.membership"),
            "TOTEMSRP", List.of("org.ringmaster.totem", "org.ringmaster.membership"),
            "KNET", List.of("org.ringmaster.membership.link"),
            "QUORUM", List.of("org.ringmaster.quorum"),
            "VOTEQ", List.of("org.ringmaster.quorum"),
            "CPG", List.of("org.ringmaster.membership.group"),
            "CRM", List.of("org.ringmaster.crm"),
            "LRM", List.of("org.ringmaster.agents"),
            "FENCING", List.of("org.ringmaster.fencing"),
            "MAIN", List.of("org.ringmaster.daemon"));

    private final List<String> notes = new ArrayList<>();
    private final LoggerContext context;
    private final Map<String, Appender<ILoggingEvent>> files = new LinkedHashMap<>();
    private final Function<LoggingConfig, SyslogSink> syslogSinks;
    private ConsoleAppender<ILoggingEvent> stderr;
    private SyslogAppender syslog;
    private String pattern;

    private DaemonLogging(LoggerContext context, Function<LoggingConfig, SyslogSink> syslogSinks) {
        this.context = context;
        this.syslogSinks = syslogSinks;
    }

    /** Applies the section; returns this for {@link #notes()}. */
    static DaemonLogging configure(LoggingConfig logging) {
        return configure(logging, SyslogSink::open);
    }

    /** As {@link #configure(LoggingConfig)} with another way to reach syslog (tests). */
    static DaemonLogging configure(LoggingConfig logging, Function<LoggingConfig, SyslogSink> syslogSinks) {
        DaemonLogging d = new DaemonLogging((LoggerContext) LoggerFactory.getILoggerFactory(), syslogSinks);
        String file = System.getProperty("logback.configurationFile");
        if (file != null) {
            d.notes.add("logging: -Dlogback.configurationFile=" + file + " is set; the logging section is not applied");
            return d;
        }
        d.apply(logging);
        return d;
    }

    /** What could not be done as configured, to be logged once logging runs. */
    List<String> notes() {
        return notes;
    }

    /** Syslog's target, if syslog is in use. */
    Optional<String> syslogTarget() {
        return Optional.ofNullable(syslog).map(s -> s.sink().describe());
    }

    private void apply(LoggingConfig c) {
        context.reset();
        pattern = switch (c.timestamp()) {
            case "off" -> "%-5level %logger{0}: %msg%n";
            case "on" -> "%d{yyyy-MM-dd'T'HH:mm:ssXXX} %-5level %logger{0}: %msg%n";
            default -> "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";
        };
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        route(root, "logging", c.toStderr(), c.toLogfile() ? c.logfile() : Optional.empty(), c.toSyslog(),
                c.debug(), c.logfilePriority(), c.syslogPriority(), c);
        for (LoggerSubsysConfig s : c.subsystems()) {
            List<String> packages = SUBSYSTEMS.get(s.subsys().toUpperCase(Locale.ROOT));
            if (packages == null) {
                notes.add("logging.logger_subsys " + s.subsys() + " (" + s.position() + "): no such ringmaster "
                        + "subsystem (known: " + String.join(", ", new TreeSet<>(SUBSYSTEMS.keySet())) + "); ignored");
                continue;
            }
            boolean toLogfile = s.toLogfile().orElse(c.toLogfile());
            Optional<String> logfile = s.logfile().filter(f -> !f.isEmpty()).or(c::logfile);
            for (String p : packages) {
                route(context.getLogger(p), "logging.logger_subsys " + s.subsys(), s.toStderr().orElse(c.toStderr()),
                        toLogfile ? logfile : Optional.empty(), s.toSyslog().orElse(c.toSyslog()),
                        s.debug().orElse(c.debug()), s.logfilePriority().orElse(c.logfilePriority()),
                        s.syslogPriority().orElse(c.syslogPriority()), c);
            }
        }
    }

    /** Gives {@code logger} its targets and the lowest of their thresholds as its level. */
    private void route(Logger logger, String where, boolean toStderr, Optional<String> logfile, boolean toSyslog,
                       String debug, String filePriority, String syslogPriority, LoggingConfig c) {
        Route route = new Route();
        route.setContext(context);
        Level fileLevel = level(debug, filePriority);
        Level syslogLevel = level(debug, syslogPriority);
        boolean stderrWanted = toStderr;
        if (logfile.isPresent()) {
            Appender<ILoggingEvent> file = file(where, logfile.get());
            if (file != null) {
                route.add(file, fileLevel);
            } else {
                stderrWanted = true;
            }
        }
        if (stderrWanted) {
            route.add(stderr(), fileLevel);
        }
        if (toSyslog) {
            SyslogAppender s = syslog(c);
            if (s != null) {
                route.add(s, syslogLevel);
            }
        }
        route.start();
        logger.detachAndStopAllAppenders();
        logger.setAdditive(logger.getName().equals(org.slf4j.Logger.ROOT_LOGGER_NAME));
        logger.setLevel(route.lowest());
        logger.addAppender(route);
    }

    private ConsoleAppender<ILoggingEvent> stderr() {
        if (stderr == null) {
            stderr = new ConsoleAppender<>();
            stderr.setContext(context);
            stderr.setName("stderr");
            stderr.setTarget("System.err");
            stderr.setEncoder(encoder());
            stderr.start();
        }
        return stderr;
    }

    private Appender<ILoggingEvent> file(String where, String name) {
        Appender<ILoggingEvent> existing = files.get(name);
        if (existing != null || files.containsKey(name)) {
            return existing;
        }
        // Opened here first so that a bad path is reported with its key, not lost in logback's status.
        try (OutputStream probe = Files.newOutputStream(Path.of(name), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            probe.flush();
        } catch (IOException | RuntimeException e) {
            notes.add(where + ".logfile " + name + ": cannot be opened for writing (" + e + "); logging to stderr "
                    + "instead");
            files.put(name, null);
            return null;
        }
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file:" + name);
        file.setFile(name);
        file.setAppend(true);
        file.setEncoder(encoder());
        file.start();
        files.put(name, file);
        return file;
    }

    private SyslogAppender syslog(LoggingConfig c) {
        if (syslog == null && !syslogUnavailable) {
            SyslogSink sink;
            try {
                sink = syslogSinks.apply(c);
            } catch (SyslogSink.Unavailable e) {
                notes.add("logging.to_syslog: " + e.getMessage() + "; not logging to syslog");
                syslogUnavailable = true;
                return null;
            }
            syslog = new SyslogAppender(sink, SyslogSink.facility(c.syslogFacility()));
            syslog.setContext(context);
            syslog.setName("syslog");
            syslog.start();
        }
        return syslog;
    }

    private boolean syslogUnavailable;

    private PatternLayoutEncoder encoder() {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(context);
        e.setPattern(pattern);
        e.start();
        return e;
    }

    /** The logback level for Corosync's {@code debug} and a syslog-style priority. */
    static Level level(String debug, String priority) {
        if ("trace".equals(debug)) {
            return Level.TRACE;
        }
        if ("on".equals(debug)) {
            return Level.DEBUG;
        }
        return switch (priority) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "err", "crit", "alert", "emerg" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    /** Stops every target (the syslog bridge process included). */
    @Override
    public void close() {
        context.reset();
        closeSyslog();
    }

    /** Stops this configuration's syslog sink only: a newer configuration has replaced the appenders. */
    void closeSyslog() {
        if (syslog != null) {
            syslog.sink().close();
        }
    }

    /** A new logging section replacing this one (config reload); returns what could not be done. */
    DaemonLogging replace(LoggingConfig next) {
        DaemonLogging d = configure(next, syslogSinks);
        closeSyslog();
        return d;
    }

    /** One logger's targets, each with its own threshold. */
    static final class Route extends AppenderBase<ILoggingEvent> {
        private final List<Appender<ILoggingEvent>> targets = new ArrayList<>();
        private final List<Level> thresholds = new ArrayList<>();

        void add(Appender<ILoggingEvent> target, Level threshold) {
            targets.add(target);
            thresholds.add(threshold);
        }

        Level lowest() {
            Level lowest = Level.OFF;
            for (Level l : thresholds) {
                if (!l.isGreaterOrEqual(lowest)) {
                    lowest = l;
                }
            }
            return lowest;
        }

        @Override
        protected void append(ILoggingEvent event) {
            for (int i = 0; i < targets.size(); i++) {
                if (event.getLevel().isGreaterOrEqual(thresholds.get(i))) {
                    targets.get(i).doAppend(event);
                }
            }
        }
    }
}
