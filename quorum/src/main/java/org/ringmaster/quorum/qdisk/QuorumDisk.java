package org.ringmaster.quorum.qdisk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.ringmaster.quorum.QuorumDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A quorum disk after RHCS qdiskd: every {@code interval} each node reads all slots and writes its own
 * heartbeat (incarnation, sequence number, state, score). A peer whose sequence has not moved for
 * {@code tko} cycles is dead on the disk; one with {@code tko_up} fresh heartbeats is online. When no
 * master is online, the lowest-id eligible node bids and, unopposed for {@code upgrade_wait} cycles,
 * becomes master. Only the master casts the device votes, so only the partition holding it gets them.
 *
 * <p>A node gives up its claim (and its vote) when its heuristics score drops below
 * {@code min_score}, when disk I/O fails for more than {@code max_error_cycles} cycles, and when its
 * own last successful write is older than {@code tko/2} cycles (a stalled master must not keep a vote
 * that the others are about to hand to a new master after {@code tko} cycles).
 *
 * <p>Deterministic: time comes in through {@link #doWork(long)}, I/O through {@link DiskIo}, heuristic
 * results through a queue fed by the {@link HeuristicRunner}.
 */
public final class QuorumDisk implements QuorumDevice, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(QuorumDisk.class);
    private static final long UNSET = Long.MIN_VALUE;

    private final QdiskConfig config;
    private final int nodeId;
    private final DiskIo io;
    private final HeuristicRunner runner;
    private final long incarnation;
    private final int diskNodes;
    private final long intervalNs;
    private final ByteBuffer readBuf;
    private final ByteBuffer writeBuf = ByteBuffer.allocate(DiskLayout.SECTOR);

    private final long[] peerIncarnation;
    private final long[] peerSeq;
    private final int[] hits;
    private final int[] misses;
    private final boolean[] online;
    private final boolean[] garbage;
    private final QdiskState[] peerState;

    private final long[] heuristicNextNs;
    private final boolean[] heuristicRunning;
    private final int[] heuristicFailures;
    private final boolean[] heuristicPassing;
    private final ConcurrentLinkedQueue<HeuristicResult> results = new ConcurrentLinkedQueue<>();

    private record HeuristicResult(int index, boolean passed, String detail)
    {
    }

    private QdiskState state = QdiskState.NONE;
    private long seq;
    private long nextCycleNs = UNSET;
    private long lastWriteOkNs = UNSET;
    private int okCycles;
    private int bidCycles;
    private int errorCycles;
    private boolean diskOk;
    private int masterId;
    private String lastError;
    private boolean slotConflict;

    /**
     * Opens the disk and checks its header.
     *
     * @param incarnation distinguishes this run of the node from earlier ones (e.g. random at start).
     * @throws QdiskException naming the disk if the header cannot be read or is not ours, or the node
     *                        id has no slot.
     */
    public QuorumDisk(final QdiskConfig config, final int nodeId, final DiskIo io, final HeuristicRunner runner,
        final long incarnation)
    {
        this.config = config;
        this.nodeId = nodeId;
        this.io = io;
        this.runner = runner;
        this.incarnation = incarnation;
        this.intervalNs = config.intervalMs() * 1_000_000L;
        final ByteBuffer header = ByteBuffer.allocate(DiskLayout.SECTOR);
        try
        {
            io.read(0, header);
        }
        catch (final IOException ex)
        {
            throw new QdiskException(io.name(), "cannot read the quorum disk header at offset 0: " + describe(ex), ex);
        }
        this.diskNodes = DiskLayout.decodeHeader(io.name(), header, config.label());
        if (nodeId < 1 || nodeId > diskNodes)
        {
            throw new QdiskException(io.name(), "node id " + nodeId + " has no slot on a disk formatted for " + diskNodes +
                " nodes");
        }
        this.readBuf = ByteBuffer.allocate(diskNodes * DiskLayout.SECTOR);
        final int n = diskNodes + 1;
        peerIncarnation = new long[n];
        peerSeq = new long[n];
        hits = new int[n];
        misses = new int[n];
        online = new boolean[n];
        garbage = new boolean[n];
        peerState = new QdiskState[n];
        Arrays.fill(peerState, QdiskState.NONE);
        final int h = config.heuristics().size();
        heuristicNextNs = new long[h];
        Arrays.fill(heuristicNextNs, UNSET);
        heuristicRunning = new boolean[h];
        heuristicFailures = new int[h];
        heuristicPassing = new boolean[h];
    }

    /**
     * Writes a fresh header and blank slots (like mkqdisk).
     *
     * @throws QdiskException naming the disk, offset and cause ("disk full" for ENOSPC).
     */
    public static void format(final DiskIo io, final String label, final int maxNodes)
    {
        if (maxNodes < 1 || maxNodes > QdiskConfig.MAX_NODES_LIMIT)
        {
            throw new QdiskException("quorumd.max_nodes", "must be 1.." + QdiskConfig.MAX_NODES_LIMIT + ", got " + maxNodes);
        }
        long offset = 0;
        try
        {
            io.write(0, DiskLayout.encodeHeader(label == null ? "" : label, maxNodes));
            final ByteBuffer blank = ByteBuffer.allocate(DiskLayout.SECTOR);
            for (int i = 1; i <= maxNodes; i++)
            {
                offset = DiskLayout.slotOffset(i);
                blank.clear();
                io.write(offset, blank);
            }
        }
        catch (final IOException ex)
        {
            throw new QdiskException(io.name(), "formatting failed writing offset " + offset + ": " + describe(ex), ex);
        }
    }

    @Override
    public String name()
    {
        return "qdisk";
    }

    @Override
    public int doWork(final long nowNs)
    {
        int work = drainHeuristicResults();
        work += startDueHeuristics(nowNs);
        if (nextCycleNs != UNSET && nowNs - nextCycleNs < 0)
        {
            return work;
        }
        nextCycleNs = nowNs + intervalNs;
        cycle(nowNs);
        return work + 1;
    }

    @Override
    public boolean castsVote()
    {
        return state == QdiskState.MASTER && diskOk && errorCycles == 0;
    }

    @Override
    public int score()
    {
        int s = 0;
        for (int i = 0; i < heuristicPassing.length; i++)
        {
            if (heuristicPassing[i])
            {
                s += config.heuristics().get(i).score();
            }
        }
        return s;
    }

    /** What this node advertises. */
    public QdiskState state()
    {
        return state;
    }

    /** The master this node sees (itself included), 0 if none. */
    public int masterId()
    {
        return masterId;
    }

    /** Peers currently online on the disk. */
    public TreeSet<Integer> onlineNodes()
    {
        final TreeSet<Integer> ids = new TreeSet<>();
        for (int i = 1; i <= diskNodes; i++)
        {
            if (online[i])
            {
                ids.add(i);
            }
        }
        return ids;
    }

    /** Slots currently holding data that failed validation. */
    public TreeSet<Integer> garbageSlots()
    {
        final TreeSet<Integer> ids = new TreeSet<>();
        for (int i = 1; i <= diskNodes; i++)
        {
            if (garbage[i])
            {
                ids.add(i);
            }
        }
        return ids;
    }

    /**
     * {@code disk}, {@code state} (what this node advertises), {@code master} (node id or {@code none}),
     * {@code online} and {@code garbage_slots} (comma-separated ids or {@code -}), {@code slot_conflict}
     * and {@code last_error} (when there is one).
     */
    @Override
    public java.util.SortedMap<String, String> details()
    {
        final java.util.TreeMap<String, String> d = new java.util.TreeMap<>();
        d.put("disk", io.name());
        d.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        d.put("master", masterId == 0 ? "none" : String.valueOf(masterId));
        d.put("online", ids(onlineNodes()));
        d.put("garbage_slots", ids(garbageSlots()));
        d.put("slot_conflict", slotConflict ? "yes" : "no");
        if (lastError != null)
        {
            d.put("last_error", lastError);
        }
        return d;
    }

    private static String ids(final TreeSet<Integer> ids)
    {
        if (ids.isEmpty())
        {
            return "-";
        }
        final StringBuilder b = new StringBuilder();
        for (final int id : ids)
        {
            b.append(b.length() == 0 ? "" : ",").append(id);
        }
        return b.toString();
    }

    /** The last I/O error, or null. */
    public String lastError()
    {
        return lastError;
    }

    private void cycle(final long nowNs)
    {
        if (state == QdiskState.MASTER && lastWriteOkNs != UNSET &&
            nowNs - lastWriteOkNs > (config.tko() / 2) * intervalNs)
        {
            transition(QdiskState.NONE, "own heartbeat is " + (nowNs - lastWriteOkNs) / 1_000_000 +
                " ms old (stalled); giving up mastership");
            okCycles = 0;
        }
        readBuf.clear();
        try
        {
            io.read(DiskLayout.SECTOR, readBuf);
        }
        catch (final IOException ex)
        {
            ioError("reading slots at offset " + DiskLayout.SECTOR, ex);
            return;
        }
        observePeers();
        final int score = score();
        final boolean eligible = score >= config.minScore() && !slotConflict;
        decide(eligible, score);
        writeOwnSlot(nowNs, score);
    }

    private void observePeers()
    {
        for (int id = 1; id <= diskNodes; id++)
        {
            final int off = (id - 1) * DiskLayout.SECTOR;
            if (id == nodeId)
            {
                checkOwnSlot(off);
                continue;
            }
            final DiskLayout.Slot slot = DiskLayout.decodeSlot(readBuf, off, id);
            if (slot == null)
            {
                final boolean blank = isBlank(off);
                if (!blank && !garbage[id])
                {
                    LOG.warn("qdisk {}: slot of node {} at offset {} is corrupt (bad magic, owner or checksum); ignoring it",
                        io.name(), id, DiskLayout.slotOffset(id));
                }
                garbage[id] = !blank;
                miss(id);
                continue;
            }
            garbage[id] = false;
            if (slot.incarnation() != peerIncarnation[id] || slot.seq() != peerSeq[id])
            {
                peerIncarnation[id] = slot.incarnation();
                peerSeq[id] = slot.seq();
                hits[id]++;
                misses[id] = 0;
                peerState[id] = slot.state();
                if (!online[id] && hits[id] >= config.tkoUp())
                {
                    online[id] = true;
                    LOG.info("qdisk {}: node {} is online on the disk ({})", io.name(), id, slot.state());
                }
            }
            else
            {
                miss(id);
            }
        }
    }

    /**
     * Another process writing our slot (two nodes configured with the same id, or a stale instance
     * still running) would make both look alive as one: refuse to claim anything while it happens.
     */
    private void checkOwnSlot(final int off)
    {
        final DiskLayout.Slot own = DiskLayout.decodeSlot(readBuf, off, nodeId);
        final boolean foreign = seq > 0 && own != null && own.incarnation() != incarnation;
        if (foreign && !slotConflict)
        {
            LOG.error("qdisk {}: another process (incarnation {}) writes the slot of node {} at offset {}; " +
                "not claiming the disk while this lasts", io.name(), own.incarnation(), nodeId, DiskLayout.slotOffset(nodeId));
        }
        slotConflict = foreign;
    }

    /** Whether another process was seen writing this node's slot in the last cycle. */
    public boolean slotConflict()
    {
        return slotConflict;
    }

    private void miss(final int id)
    {
        misses[id]++;
        if (misses[id] >= config.tko())
        {
            hits[id] = 0;
            if (online[id])
            {
                online[id] = false;
                LOG.warn("qdisk {}: node {} missed {} heartbeats, declared dead on the disk", io.name(), id, misses[id]);
            }
            peerState[id] = QdiskState.NONE;
        }
    }

    private boolean isBlank(final int off)
    {
        for (int i = off; i < off + DiskLayout.SECTOR; i++)
        {
            if (readBuf.get(i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private void decide(final boolean eligible, final int score)
    {
        int onlineMaster = 0;
        boolean lowerCandidate = false;
        for (int id = 1; id <= diskNodes; id++)
        {
            if (id == nodeId || !online[id])
            {
                continue;
            }
            if (peerState[id] == QdiskState.MASTER && (onlineMaster == 0 || id < onlineMaster))
            {
                onlineMaster = id;
            }
            if (id < nodeId && (peerState[id] == QdiskState.RUN || peerState[id] == QdiskState.BID))
            {
                lowerCandidate = true;
            }
        }
        QdiskState next;
        if (!eligible)
        {
            next = QdiskState.NONE;
            if (state != QdiskState.NONE)
            {
                LOG.warn("qdisk {}: node {} score {} is below min_score {}; no longer claiming the disk", io.name(), nodeId,
                    score, config.minScore());
            }
        }
        else if (state == QdiskState.MASTER)
        {
            next = onlineMaster != 0 && onlineMaster < nodeId ? QdiskState.RUN : QdiskState.MASTER;
        }
        else if (onlineMaster != 0)
        {
            next = QdiskState.RUN;
        }
        else if (okCycles >= config.masterWait() && !lowerCandidate)
        {
            bidCycles = state == QdiskState.BID ? bidCycles + 1 : 0;
            next = bidCycles >= config.upgradeWait() ? QdiskState.MASTER : QdiskState.BID;
        }
        else
        {
            next = QdiskState.RUN;
        }
        if (next != QdiskState.BID)
        {
            bidCycles = 0;
        }
        masterId = next == QdiskState.MASTER ? nodeId : onlineMaster;
        if (next != state)
        {
            transition(next, next == QdiskState.MASTER ? "bid unopposed for " + config.upgradeWait() + " cycles" :
                onlineMaster != 0 ? "master is node " + onlineMaster : "score " + score);
        }
    }

    private void writeOwnSlot(final long nowNs, final int score)
    {
        DiskLayout.encodeSlot(writeBuf, new DiskLayout.Slot(nodeId, state, incarnation, ++seq, nowNs / 1_000_000,
            score, config.maxScore(), masterId));
        try
        {
            io.write(DiskLayout.slotOffset(nodeId), writeBuf);
        }
        catch (final IOException ex)
        {
            ioError("writing the slot of node " + nodeId + " at offset " + DiskLayout.slotOffset(nodeId), ex);
            return;
        }
        if (!diskOk && errorCycles > 0)
        {
            LOG.info("qdisk {}: I/O recovered", io.name());
        }
        lastWriteOkNs = nowNs;
        errorCycles = 0;
        diskOk = true;
        okCycles++;
    }

    private void ioError(final String operation, final IOException ex)
    {
        errorCycles++;
        lastError = "qdisk " + io.name() + ": " + operation + " failed: " + describe(ex);
        if (errorCycles > config.maxErrorCycles())
        {
            if (diskOk || state != QdiskState.NONE)
            {
                LOG.error("{}; giving up the quorum disk vote after {} error cycle(s)", lastError, errorCycles);
            }
            diskOk = false;
            okCycles = 0;
            if (state != QdiskState.NONE)
            {
                transition(QdiskState.NONE, "disk lost");
            }
            masterId = 0;
        }
        else
        {
            LOG.warn("{} (error cycle {} of {} tolerated)", lastError, errorCycles, config.maxErrorCycles());
        }
    }

    private void transition(final QdiskState next, final String reason)
    {
        LOG.info("qdisk {}: node {} {} -> {} ({})", io.name(), nodeId, state, next, reason);
        state = next;
    }

    private int startDueHeuristics(final long nowNs)
    {
        int started = 0;
        for (int i = 0; i < heuristicNextNs.length; i++)
        {
            if (heuristicRunning[i] || (heuristicNextNs[i] != UNSET && nowNs - heuristicNextNs[i] < 0))
            {
                continue;
            }
            final Heuristic h = config.heuristics().get(i);
            heuristicNextNs[i] = nowNs + h.intervalMs() * 1_000_000L;
            heuristicRunning[i] = true;
            final int index = i;
            runner.start(h, (passed, detail) -> results.add(new HeuristicResult(index, passed, detail)));
            started++;
        }
        return started;
    }

    private int drainHeuristicResults()
    {
        int n = 0;
        HeuristicResult r;
        while ((r = results.poll()) != null)
        {
            final int i = r.index();
            heuristicRunning[i] = false;
            final Heuristic h = config.heuristics().get(i);
            if (r.passed())
            {
                heuristicFailures[i] = 0;
                if (!heuristicPassing[i])
                {
                    LOG.info("qdisk heuristic '{}' passes (score {})", h.program(), h.score());
                }
                heuristicPassing[i] = true;
            }
            else if (++heuristicFailures[i] >= h.tko() && heuristicPassing[i])
            {
                heuristicPassing[i] = false;
                LOG.warn("qdisk heuristic '{}' failed {} time(s) (last: {}); its score {} no longer counts", h.program(),
                    heuristicFailures[i], r.detail(), h.score());
            }
            n++;
        }
        return n;
    }

    static String describe(final IOException ex)
    {
        final String msg = String.valueOf(ex.getMessage());
        return msg.contains("No space left") ? msg + " (disk full)" : ex.getClass().getSimpleName() + ": " + msg;
    }

    @Override
    public void close()
    {
        runner.close();
        try
        {
            io.close();
        }
        catch (final IOException ex)
        {
            LOG.warn("qdisk {}: close failed: {}", io.name(), ex.getMessage());
        }
    }
}
