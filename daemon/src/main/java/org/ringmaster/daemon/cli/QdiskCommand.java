package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ringmaster.quorum.qdisk.FileDiskIo;
import org.ringmaster.quorum.qdisk.QdiskException;
import org.ringmaster.quorum.qdisk.QuorumDisk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringctl qdisk format}: prepares a quorum disk, like mkqdisk -c. */
@Command(name = "qdisk", mixinStandardHelpOptions = true,
        description = "Quorum disk administration (offline).",
        subcommands = {QdiskCommand.Format.class})
final class QdiskCommand {

    /** {@code ringctl qdisk format FILE}. */
    @Command(name = "format", mixinStandardHelpOptions = true,
            description = {"Write a quorum disk header and one empty slot per node id to FILE (a shared file, "
                + "created if missing, or a block device). Stop every node using the disk first."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:formatted", "1:not formatted (FILE has data and no --force, or cannot be written)",
                "2:bad command line"})
    static final class Format implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the file or block device (quorum.device.qdisk.path)")
        private Path file;

        @Option(names = {"-l", "--label"}, paramLabel = "LABEL", defaultValue = "",
                description = "label to write (quorum.device.qdisk.label must then match), up to 64 bytes")
        private String label;

        @Option(names = {"-n", "--nodes"}, paramLabel = "N", defaultValue = "16",
                description = "slots for node ids 1..N, 1..256 (default: ${DEFAULT-VALUE})")
        private int nodes;

        @Option(names = {"-f", "--force"}, description = "overwrite a file that already holds data")
        private boolean force;

        @Override
        public Integer call() {
            try {
                boolean hasData = Files.exists(file) && Files.isRegularFile(file) && Files.size(file) > 0;
                if (hasData && !force) {
                    spec.commandLine().getErr().println("ringctl qdisk format: " + file + " already holds data; "
                            + "use --force to overwrite it (every node using it must be stopped)");
                    return Ringctl.INVALID;
                }
                try (FileDiskIo io = FileDiskIo.create(file)) {
                    QuorumDisk.format(io, label, nodes);
                }
            } catch (IOException | QdiskException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("ringctl qdisk format: " + file + ": " + e.getMessage());
                return Ringctl.INVALID;
            }
            spec.commandLine().getOut().println("formatted " + file + " as a quorum disk for node ids 1.." + nodes
                    + (label.isEmpty() ? "" : " with label " + label));
            return Ringctl.OK;
        }
    }
}
