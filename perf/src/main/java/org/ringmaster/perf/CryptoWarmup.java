package org.ringmaster.perf;

import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.totem.security.AuthKey;
import org.ringmaster.totem.security.CryptoConfig;
import org.ringmaster.totem.security.SecureTransport;
import org.ringmaster.totem.transport.DatagramHandler;
import org.ringmaster.totem.transport.Transport;
import org.ringmaster.totem.transport.TransportCounters;

/**
 * Runs the sealing path (seal by the peers, open here, alternating senders as on a ring) on
 * throwaway transports before a benchmark node reports ready.
 *
 * <p>Why: until C2 has compiled it, AES-GCM runs in the interpreter or C1 (GHASH in plain Java),
 * many times slower. Each node process warms up on its own, and on two busy cores one C2 compile
 * of a crypto method was seen taking 0.6–0.9 s, so a 2-second warm-up under full load still
 * measured mostly unoptimised crypto (about a tenth of the steady-state rate).
 */
final class CryptoWarmup
{
    private CryptoWarmup()
    {
    }

    /** Seal and open up to {@code rounds} datagrams, or until {@code maxNanos} have passed. */
    static long run(final CryptoConfig config, final AuthKey key, final List<Integer> ids, final int self,
        final int rounds, final long maxNanos)
    {
        final Loop[] loops = new Loop[ids.size()];
        final Transport[] sealed = new Transport[ids.size()];
        for (int i = 0; i < ids.size(); i++)
        {
            loops[i] = new Loop(ids.get(i));
            sealed[i] = SecureTransport.wrap(loops[i], config, key, ids, "bench-warmup");
        }
        final int me = ids.indexOf(self);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.min(1024, sealed[me].maxDatagramLength())]);
        final long[] opened = {0};
        final DatagramHandler count = (b, o, l) -> opened[0]++;
        final long deadline = System.nanoTime() + maxNanos;
        for (int r = 0; r < rounds && System.nanoTime() < deadline; r++)
        {
            final int from = (me + 1 + r % (ids.size() - 1)) % ids.size();
            payload.putInt(0, r);
            sealed[from].multicast(payload, 0, payload.capacity());
            loops[me].hand(loops[from]);
            sealed[me].poll(count, 1);
        }
        return opened[0];
    }

    /** Keeps the last sealed frame; hands it to another loop's poll. */
    private static final class Loop implements Transport
    {
        private final int id;
        private final TransportCounters counters = new TransportCounters();
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[65536]);
        private int length = -1;
        private UnsafeBuffer incoming;
        private int incomingLength = -1;

        Loop(final int id)
        {
            this.id = id;
        }

        void hand(final Loop from)
        {
            incoming = from.frame;
            incomingLength = from.length;
        }

        @Override
        public int localNodeId()
        {
            return id;
        }

        @Override
        public int maxDatagramLength()
        {
            return 1472;
        }

        @Override
        public boolean unicast(final int nodeId, final DirectBuffer buffer, final int offset, final int len)
        {
            return multicast(buffer, offset, len);
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int len)
        {
            frame.putBytes(0, buffer, offset, len);
            length = len;
            return true;
        }

        @Override
        public int poll(final DatagramHandler handler, final int limit)
        {
            if (incomingLength < 0)
            {
                return 0;
            }
            final int len = incomingLength;
            incomingLength = -1;
            handler.onDatagram(incoming, 0, len);
            return 1;
        }

        @Override
        public TransportCounters counters()
        {
            return counters;
        }

        @Override
        public void close()
        {
        }
    }
}
