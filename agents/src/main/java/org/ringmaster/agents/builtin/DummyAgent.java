package org.ringmaster.agents.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.ringmaster.crm.api.resource.OcfExitCode;
import org.ringmaster.crm.api.resource.ResourceOperation;

/**
 * {@code builtin:dummy}: a resource that is "running" while its state file exists, like ocf:heartbeat:Dummy.
 * For tests and demos. Parameter {@code state} (default {@code <stateDirectory>/dummy-<resource>.state}).
 */
public final class DummyAgent extends BuiltinAgent {
    private static final String METADATA = """
        <?xml version="1.0"?>
        <resource-agent name="dummy" version="1.0">
          <version>1.1</version>
          <shortdesc lang="en">Built-in stateless test resource (a state file)</shortdesc>
          <parameters>
            <parameter name="state" unique="1" required="0">
              <shortdesc lang="en">State file</shortdesc>
              <content type="string" default="STATE_DIR/dummy-RESOURCE.state"/>
            </parameter>
          </parameters>
          <actions>
            <action name="start" timeout="20s"/>
            <action name="stop" timeout="20s"/>
            <action name="monitor" timeout="20s" interval="10s"/>
            <action name="reload" timeout="20s"/>
            <action name="notify" timeout="20s"/>
            <action name="validate-all" timeout="20s"/>
            <action name="meta-data" timeout="5s"/>
          </actions>
        </resource-agent>
        """;

    private final Path stateDirectory;

    public DummyAgent(Path stateDirectory) {
        super("dummy", METADATA, Set.of("start", "stop", "monitor", "reload", "notify", "validate-all"));
        this.stateDirectory = stateDirectory;
    }

    @Override
    protected Result perform(ResourceOperation op, long deadlineNs) throws IOException {
        Path state = Path.of(param(op, "state", stateDirectory.resolve("dummy-" + op.resourceId() + ".state")
            .toString()));
        switch (op.action()) {
            case "start" -> {
                Files.createDirectories(state.toAbsolutePath().getParent());
                if (!Files.exists(state)) {
                    Files.writeString(state, op.resourceId() + "\n");
                }
                return Result.ok("");
            }
            case "stop" -> {
                Files.deleteIfExists(state);
                return Result.ok("");
            }
            case "monitor" -> {
                return Files.exists(state) ? Result.ok("") : Result.rc(OcfExitCode.NOT_RUNNING, "");
            }
            default -> {
                return Result.ok("");
            }
        }
    }
}
