package org.ringmaster.quorum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where {@code expected_votes_tracking} keeps the highest expected votes ever seen, so that a node
 * restarting alone (or with a few others) cannot form quorum on a smaller, stale expectation.
 */
public interface ExpectedVotesStore
{
    /** The stored value, 0 if nothing was stored yet. */
    int load() throws IOException;

    /** Stores a new highest value durably. */
    void save(int expectedVotes) throws IOException;

    /**
     * A one-line text file (like Corosync's {@code <state_dir>/ev_tracking}), replaced atomically.
     * A file that does not hold a positive integer is an error naming the file, never silently 0.
     */
    static ExpectedVotesStore file(final Path path)
    {
        return new ExpectedVotesStore()
        {
            @Override
            public int load() throws IOException
            {
                final String text;
                try
                {
                    text = Files.readString(path, StandardCharsets.US_ASCII).trim();
                }
                catch (final NoSuchFileException ex)
                {
                    return 0;
                }
                try
                {
                    final int v = Integer.parseInt(text);
                    if (v < 0)
                    {
                        throw new NumberFormatException();
                    }
                    return v;
                }
                catch (final NumberFormatException ex)
                {
                    throw new IOException(path + ": expected votes tracking file holds '" +
                        (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "', not a vote count");
                }
            }

            @Override
            public void save(final int expectedVotes) throws IOException
            {
                final Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
                Files.writeString(tmp, expectedVotes + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }

            @Override
            public String toString()
            {
                return path.toString();
            }
        };
    }
}
