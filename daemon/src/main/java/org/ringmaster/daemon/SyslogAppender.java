package org.ringmaster.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;

/**
 * Logback appender writing one syslog message per event through a {@link SyslogSink}: the
 * severity from the level, the short logger name as tag, one line (a stack trace is reduced to its
 * exception). If the sink fails, syslog is given up once, said on stderr, rather than failing every
 * log call.
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {

    private final SyslogSink sink;
    private final int facility;
    private volatile boolean broken;

    SyslogAppender(SyslogSink sink, int facility) {
        this.sink = sink;
        this.facility = facility;
    }

    SyslogSink sink() {
        return sink;
    }

    /** RFC 5424 severity of a logback level. */
    static int severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (broken) {
            return;
        }
        String message = event.getFormattedMessage();
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            message += " (" + t.getClassName() + ": " + t.getMessage() + ")";
        }
        String name = event.getLoggerName();
        String tag = name.substring(name.lastIndexOf('.') + 1);
        try {
            sink.send(facility * 8 + severity(event.getLevel()), tag, message.replace('\n', ' '));
        } catch (IOException | RuntimeException e) {
            broken = true;
            String why = "logging.to_syslog: writing to " + sink.describe() + " failed (" + e + "); syslog is off";
            System.err.println(why);
        }
    }
}
