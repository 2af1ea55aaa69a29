package org.ringmaster.quorum;

import java.util.ArrayList;
import java.util.List;

/**
 * Which node decides an exact 50/50 split under {@code auto_tie_breaker}
 * ({@code quorum.auto_tie_breaker_node}: {@code lowest}, {@code highest} or a space separated list of
 * node ids evaluated in order).
 *
 * @param mode  how the node is chosen.
 * @param nodes the ordered list for {@link Mode#LIST}, empty otherwise.
 */
public record TieBreaker(Mode mode, List<Integer> nodes)
{
    /** The tie-breaker selection rule. */
    public enum Mode
    {
        LOWEST, HIGHEST, LIST
    }

    public static final TieBreaker LOWEST = new TieBreaker(Mode.LOWEST, List.of());
    public static final TieBreaker HIGHEST = new TieBreaker(Mode.HIGHEST, List.of());

    public TieBreaker
    {
        nodes = List.copyOf(nodes);
        if (mode == Mode.LIST && nodes.isEmpty())
        {
            throw new QuorumConfigException("quorum.auto_tie_breaker_node", "a node list must not be empty");
        }
    }

    /** A list tie-breaker, first entry preferred. */
    public static TieBreaker list(final List<Integer> nodeIds)
    {
        return new TieBreaker(Mode.LIST, nodeIds);
    }

    /**
     * Parses the Corosync spelling: {@code lowest}, {@code highest} or node ids separated by blanks.
     *
     * @throws QuorumConfigException naming {@code quorum.auto_tie_breaker_node} when malformed.
     */
    public static TieBreaker parse(final String text)
    {
        final String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("lowest"))
        {
            return LOWEST;
        }
        if (trimmed.equals("highest"))
        {
            return HIGHEST;
        }
        final List<Integer> ids = new ArrayList<>();
        for (final String token : trimmed.split("\\s+"))
        {
            try
            {
                final int id = Integer.parseInt(token);
                if (id <= 0)
                {
                    throw new NumberFormatException();
                }
                ids.add(id);
            }
            catch (final NumberFormatException ex)
            {
                throw new QuorumConfigException("quorum.auto_tie_breaker_node",
                    "expected 'lowest', 'highest' or positive node ids, got '" + text + "'");
            }
        }
        return list(ids);
    }

    /**
     * Picks the tie-breaker node among {@code candidates} (the members of the last quorate partition),
     * or 0 when none qualifies.
     */
    int choose(final int[] sortedCandidates)
    {
        if (sortedCandidates.length == 0)
        {
            return 0;
        }
        switch (mode)
        {
            case LOWEST:
                return sortedCandidates[0];
            case HIGHEST:
                return sortedCandidates[sortedCandidates.length - 1];
            default:
                for (final int id : nodes)
                {
                    if (java.util.Arrays.binarySearch(sortedCandidates, id) >= 0)
                    {
                        return id;
                    }
                }
                return 0;
        }
    }

    @Override
    public String toString()
    {
        return mode == Mode.LIST ? nodes.toString() : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
