package org.ringmaster.crm.simple.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replicated state in {@code <stateDirectory>/crm-state.bin} across restarts: written to a temporary
 * file, forced to disk, then atomically renamed, so a crash leaves the old or the new state, never half of one.
 * A file that cannot be decoded is moved aside (named in the log) and the node starts empty: its peers bring it
 * up to date.
 */
final class StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    static final String FILE = "crm-state.bin";

    private final Path file;
    private final Path tmp;

    StateStore(Path directory) {
        this.file = directory.resolve(FILE);
        this.tmp = directory.resolve(FILE + ".tmp");
    }

    Path file() {
        return file;
    }

    /** The persisted state, if any and readable. */
    Optional<CrmMessage.Sync> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Wire.decodeState(Files.readAllBytes(file)));
        } catch (IOException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(FILE + ".corrupt-" + System.currentTimeMillis());
            LOG.error("{}: cannot read the CRM state ({}); moved aside to {}, starting empty", file, e.getMessage(),
                    aside.getFileName());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.error("{}: cannot move the unreadable state aside: {}", file, moveFailed.getMessage());
            }
            return Optional.empty();
        }
    }

    /**
     * Writes the state.
     *
     * @throws IOException naming the file when it cannot be written (e.g. a full disk); the old state stays
     */
    void save(ConfigDocument config, List<NodeRecord> records, long nextTid) throws IOException {
        byte[] bytes = Wire.encodeState(config, records, nextTid);
        try {
            Files.createDirectories(file.getParent());
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                var buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException(file + ": cannot save the CRM state: " + e.getMessage(), e);
        }
    }
}
