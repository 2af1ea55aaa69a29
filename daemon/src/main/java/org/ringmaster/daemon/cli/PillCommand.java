package org.ringmaster.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringmaster.fencing.FencingConfigReader;
import org.ringmaster.fencing.sbd.PoisonPillDisk;
import org.ringmaster.fencing.sbd.PoisonPillDiskException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringctl pill create|list PATH}: initialise and inspect a poison-pill disk (the shared file or block device
 * of a {@code poison-pill} fence device), offline.
 */
@Command(name = "pill", mixinStandardHelpOptions = true, description = "Poison-pill disk: create | list.",
        subcommands = {PillCommand.Create.class, PillCommand.List.class})
final class PillCommand {

    /** {@code ringctl pill create PATH}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Initialise a poison-pill disk: header with the timeouts every node uses, free slots.",
                "Destroys what PATH held; run it once, on one node, before the daemons start."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:created", "1:not created (already a disk without --force, or an I/O error)",
                "2:bad command line"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "file or block device")
        Path path;

        @Option(names = "--slots", defaultValue = "255", description = "node slots, 1..255 (default: ${DEFAULT-VALUE})")
        int slots;

        @Option(names = "--sector-size", defaultValue = "512", description = "512 or 4096 (default: ${DEFAULT-VALUE})")
        int sectorSize;

        @Option(names = "--watchdog-timeout", defaultValue = "5s", paramLabel = "DURATION",
                description = "a node that is not healthy for this long is reset by its watchdog "
                        + "(default: ${DEFAULT-VALUE})")
        String watchdogTimeout;

        @Option(names = "--msgwait", defaultValue = "10s", paramLabel = "DURATION",
                description = "a fencer waits this long after writing a pill; at least 2 x --watchdog-timeout "
                        + "(default: ${DEFAULT-VALUE})")
        String msgwait;

        @Option(names = "--nodes", split = ",", paramLabel = "NODE",
                description = "allocate slots for these nodes now, in this order (else each takes one at start)")
        java.util.List<String> nodes = new ArrayList<>();

        @Option(names = {"-f", "--force"}, description = "overwrite PATH even if it already is a poison-pill disk")
        boolean force;

        @Override
        public Integer call() {
            PoisonPillDisk.Layout layout;
            try {
                layout = new PoisonPillDisk.Layout(sectorSize, slots, duration("--watchdog-timeout", watchdogTimeout),
                        duration("--msgwait", msgwait));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!force && Files.exists(path)) {
                try (PoisonPillDisk existing = PoisonPillDisk.open(path)) {
                    spec.commandLine().getErr().println("ringctl pill create: " + path + " already is a poison-pill "
                            + "disk (" + existing.layout().slots() + " slots); --force overwrites it");
                    return Ringctl.INVALID;
                } catch (PoisonPillDiskException e) {
                    // not a disk yet: initialise it
                }
            }
            try (PoisonPillDisk disk = PoisonPillDisk.create(path, layout)) {
                for (String n : nodes) {
                    disk.allocate(n);
                }
            } catch (PoisonPillDiskException | IOException e) {
                spec.commandLine().getErr().println("ringctl pill create: " + e.getMessage());
                return Ringctl.INVALID;
            }
            spec.commandLine().getOut().println("initialised " + path + ": " + slots + " slots of " + sectorSize
                    + " bytes, watchdog timeout " + layout.watchdogTimeout().toMillis() + " ms, msgwait "
                    + layout.msgwait().toMillis() + " ms" + (nodes.isEmpty() ? "" : ", slots for " + nodes));
            return Ringctl.OK;
        }

        private static Duration duration(String option, String value) {
            return FencingConfigReader.duration(new FencingConfigReader.Entry(option, value, "ringctl pill create"));
        }
    }

    /** {@code ringctl pill list PATH}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show a poison-pill disk's timeouts and its allocated slots (corrupt ones too).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:not a readable poison-pill disk", "2:bad command line"})
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "file or block device")
        Path path;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (PoisonPillDisk disk = PoisonPillDisk.open(path)) {
                java.util.List<Map<String, Object>> slots = new ArrayList<>();
                for (PoisonPillDisk.SlotRead r : disk.list()) {
                    if (r.isFree()) {
                        continue;
                    }
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("slot", r.index());
                    if (r.slot().isPresent()) {
                        PoisonPillDisk.Slot v = r.slot().get();
                        s.put("node", v.node());
                        s.put("message", v.message().name().toLowerCase(java.util.Locale.ROOT));
                        s.put("sender", v.sender());
                        s.put("sequence", v.sequence());
                        s.put("written", v.timestampMs() == 0 ? "" : Instant.ofEpochMilli(v.timestampMs()).toString());
                    } else {
                        s.put("corrupt", r.corrupt());
                    }
                    slots.add(s);
                }
                PoisonPillDisk.Layout l = disk.layout();
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("disk", path.toString());
                    o.put("sector_size", l.sectorSize());
                    o.put("slots", l.slots());
                    o.put("watchdog_timeout_ms", l.watchdogTimeout().toMillis());
                    o.put("msgwait_ms", l.msgwait().toMillis());
                    o.put("allocated", slots);
                    out.println(JsonWriter.object(o));
                    return Ringctl.OK;
                }
                out.printf("%s: %d slots of %d bytes, watchdog timeout %d ms, msgwait %d ms%n", path, l.slots(),
                        l.sectorSize(), l.watchdogTimeout().toMillis(), l.msgwait().toMillis());
                for (Map<String, Object> s : slots) {
                    if (s.containsKey("corrupt")) {
                        out.printf("  %3s  CORRUPT: %s%n", s.get("slot"), s.get("corrupt"));
                    } else {
                        out.printf("  %3s  %-16s %-6s%s%n", s.get("slot"), s.get("node"), s.get("message"),
                                ((String) s.get("sender")).isEmpty() ? "" : "  from " + s.get("sender") + " at "
                                        + s.get("written"));
                    }
                }
                return Ringctl.OK;
            } catch (PoisonPillDiskException | IOException e) {
                spec.commandLine().getErr().println("ringctl pill list: " + e.getMessage());
                return Ringctl.INVALID;
            }
        }
    }
}
