package org.ringmaster.daemon.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.AuthKeyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringctl keygen}: a new cluster authkey (mode 0400), like corosync-keygen. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a random cluster authkey with mode 0400; copy the same file to every node."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:not written (exists without --force, or cannot write)", "2:bad command line"})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-k", "--key-file"}, paramLabel = "FILE", description = "where to write (default: ${DEFAULT-VALUE})",
            defaultValue = "/etc/ringmaster/authkey")
    private Path file;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "256",
            description = "key size, 128..4096 bytes (default: ${DEFAULT-VALUE})")
    private int size;

    @Option(names = {"-f", "--force"}, description = "replace an existing key file")
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            AuthKey.generate(new SecureRandom(), size).writeTo(file, force);
        } catch (AuthKeyException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("ringctl keygen: " + e.getMessage());
            return Ringctl.INVALID;
        }
        out.println("wrote a " + size + "-byte authkey to " + file + " (mode 0400); copy it to every node");
        return Ringctl.OK;
    }
}
