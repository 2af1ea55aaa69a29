package org.ringmaster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.daemon.config.ClusterConfig;

/** The logging section becomes slf4j-simple's settings; what cannot be done is said. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DaemonLoggingTest {

    private static final String P = "org.slf4j.simpleLogger.";
    private Properties saved;

    @BeforeEach
    void clear() {
        saved = (Properties) System.getProperties().clone();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(P)).forEach(System::clearProperty);
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    private static DaemonLogging configure(String logging) throws Exception {
        ClusterConfig c = ClusterConfig.parse("t.conf", "totem {\n version: 2\n transport: udpu\n}\nnodelist {\n node {\n"
                + "  nodeid: 1\n  ring0_addr: 127.0.0.1\n }\n}\nlogging {\n" + logging + "}\n");
        return DaemonLogging.configure(c.logging());
    }

    @Test
    void defaultsGoToStderrAtInfoAndSyslogIsNotPretended() throws Exception {
        DaemonLogging d = configure("");
        assertThat(System.getProperty(P + "logFile")).isEqualTo("System.err");
        assertThat(System.getProperty(P + "defaultLogLevel")).isEqualTo("info");
        assertThat(System.getProperty(P + "dateTimeFormat")).contains("SSS");
        assertThat(d.notes()).singleElement().asString().startsWith("logging.to_syslog: syslog output is not implemented");
    }

    @Test
    void fileDebugAndSubsystems() throws Exception {
        DaemonLogging d = configure(" to_syslog: no\n to_stderr: no\n to_logfile: yes\n logfile: /var/log/rm.log\n"
                + " timestamp: off\n logger_subsys {\n  subsys: QUORUM\n  debug: on\n }\n logger_subsys {\n  subsys: AMF\n"
                + "  debug: on\n }\n");
        assertThat(System.getProperty(P + "logFile")).isEqualTo("/var/log/rm.log");
        assertThat(System.getProperty(P + "showDateTime")).isEqualTo("false");
        assertThat(System.getProperty(P + "log.org.ringmaster.quorum")).isEqualTo("debug");
        assertThat(d.notes()).singleElement().asString().startsWith("logging.logger_subsys AMF: no such ringmaster subsystem");
    }

    @Test
    void commandLineSettingsWin() throws Exception {
        System.setProperty(P + "defaultLogLevel", "warn");
        configure(" debug: on\n");
        assertThat(System.getProperty(P + "defaultLogLevel")).isEqualTo("warn");
    }
}
