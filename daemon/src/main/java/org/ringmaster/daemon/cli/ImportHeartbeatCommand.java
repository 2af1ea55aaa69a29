package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.ringmaster.daemon.config.ClusterConfig;
import org.ringmaster.daemon.config.ConfigException;
import org.ringmaster.daemon.config.Diagnostic;
import org.ringmaster.daemon.heartbeat.HeartbeatImport;
import org.ringmaster.daemon.heartbeat.HeartbeatImportException;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.AuthKeyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringctl config import-heartbeat DIR}: ha.cf + authkeys + haresources to ringmaster.conf + a new authkey. */
@Command(name = "import-heartbeat", mixinStandardHelpOptions = true,
        description = {"Translate a heartbeat v1 directory (ha.cf, authkeys, haresources) into a ringmaster.conf and a "
                + "new authkey.",
            "Prints what was approximated (notes) and every line that has no equivalent (not translated). The "
                + "written file passes 'ringctl config check'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:a heartbeat file has a line that cannot be understood (file:line is printed), "
                + "or an output file exists (without --force) or cannot be written", "2:bad command line"})
final class ImportHeartbeatCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the heartbeat directory, e.g. /etc/ha.d")
    private Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "ringmaster.conf",
            description = "the configuration to write (default: ${DEFAULT-VALUE})")
    private Path output;

    @Option(names = {"-k", "--key-file"}, paramLabel = "FILE",
            description = "the new authkey (default: authkey beside the output); the configuration's keyfile names it")
    private Path keyfile;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "heartbeat",
            description = "totem.cluster_name (default: ${DEFAULT-VALUE})")
    private String clusterName;

    @Option(names = {"-f", "--force"}, description = "replace existing output files")
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path key = keyfile != null ? keyfile : output.toAbsolutePath().resolveSibling("authkey");
        if (!force) {
            for (Path p : new Path[] {output, key}) {
                if (Files.exists(p)) {
                    err.println("ringctl config import-heartbeat: " + p + " exists; use --force to replace it");
                    return Ringctl.INVALID;
                }
            }
        }
        HeartbeatImport.Result result;
        try {
            result = HeartbeatImport.translate(dir, key, clusterName, output);
        } catch (HeartbeatImportException e) {
            err.println("ringctl config import-heartbeat: " + e.getMessage());
            return Ringctl.INVALID;
        }
        ClusterConfig checked;
        try {
            checked = ClusterConfig.parse(output.toString(), result.config());
        } catch (ConfigException e) {
            // The translation itself is wrong: say so rather than write a file the daemon refuses.
            e.diagnostics().forEach(d -> err.println("ringctl config import-heartbeat: generated " + d));
            err.println(result.config());
            return Ringctl.INTERNAL;
        }
        try {
            AuthKey.generate(new SecureRandom(), 256).writeTo(key, force);
            Files.writeString(output, result.config(), StandardCharsets.UTF_8);
        } catch (AuthKeyException | IOException e) {
            err.println("ringctl config import-heartbeat: " + e.getMessage());
            return Ringctl.INVALID;
        }
        out.println("wrote " + output + " (" + checked.nodes().size() + " nodes) and a new 256-byte authkey " + key
                + " (mode 0400); copy both to every node");
        if (!result.notes().isEmpty()) {
            out.println();
            out.println("Notes:");
            result.notes().forEach(n -> out.println("  " + n));
        }
        for (Diagnostic d : checked.warnings()) {
            out.println("  config check: " + d);
        }
        out.println();
        if (result.untranslated().isEmpty()) {
            out.println("Every line was translated.");
        } else {
            out.println("Not translated (" + result.untranslated().size() + "):");
            result.untranslated().forEach(u -> out.println("  " + u));
        }
        return Ringctl.OK;
    }
}
