package org.ringmaster.perf.jgroups;

import java.io.InputStream;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.ringmaster.perf.AllocationProbe;
import org.ringmaster.perf.RingNodeCommand;
import org.ringmaster.totem.Guarantee;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One JGroups member of a {@code throughput --system jgroups} run: joins the group on loopback
 * with a SEQUENCER stack (tcp-sequencer.xml or udp-sequencer.xml beside this class), waits for the
 * full view, then sends and measures exactly like a Ringmaster node (same payload header, same
 * order hash, same JSON line with {@code "system":"jgroups"}).
 */
@Command(name = "jgroups-node", hidden = true, description = "one JGroups member of a throughput run (internal)")
public final class JGroupsNodeCommand implements Callable<Integer>
{
    private static final String CLUSTER = "ringmaster-bench";

    @Option(names = "--node", required = true) int node;
    @Option(names = "--nodes", required = true) int nodes;
    @Option(names = "--base-port", required = true) int basePort;
    /** Messages' worth of UFC/MFC credits per sender (see tcp-sequencer.xml). */
    static final int FC_CREDIT_MESSAGES = 2048;

    @Option(names = "--size", required = true) int size;
    @Option(names = "--senders", required = true) String senders;
    @Option(names = "--duration", required = true) int duration;
    @Option(names = "--warmup", required = true) int warmup;
    @Option(names = "--rate", defaultValue = "0") int rate;
    @Option(names = "--stack", defaultValue = "tcp") String stack;
    @Option(names = "--start-at", defaultValue = "0", description = "epoch ms; 0 = print READY and read it from stdin")
    long startAtMillis;
    @Option(names = "--view-timeout", defaultValue = "60") int viewTimeoutSeconds;

    /** Hands each delivered message to the shared receiver; JGroups may call from several threads, one at a time. */
    private static final class Delivery implements Receiver
    {
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private volatile RingNodeCommand.Receiver receiver;
        private volatile int members;

        @Override
        public synchronized void receive(final Message msg)
        {
            final RingNodeCommand.Receiver r = receiver;
            if (r == null || msg.getLength() < RingNodeCommand.HEADER)
            {
                return;
            }
            view.wrap(msg.getArray(), msg.getOffset(), msg.getLength());
            r.onMessage(view.getInt(8), 0, Guarantee.AGREED, view, 0, msg.getLength());
        }

        @Override
        public void viewAccepted(final View newView)
        {
            members = newView.size();
        }
    }

    @Override
    public Integer call() throws Exception
    {
        if (!"tcp".equals(stack) && !"udp".equals(stack))
        {
            System.err.println("--stack " + stack + ": tcp or udp");
            return 2;
        }
        System.setProperty("ringmaster.bench.bind_port", String.valueOf(basePort + node));
        final StringJoiner hosts = new StringJoiner(",");
        for (int i = 1; i <= nodes; i++)
        {
            hosts.add("127.0.0.1[" + (basePort + i) + "]");
        }
        System.setProperty("ringmaster.bench.initial_hosts", hosts.toString());
        // Flow control credits count bytes; a fair credit is a number of messages in flight, so it
        // scales with the message size (the stack files explain the measurements behind it).
        System.setProperty("ringmaster.bench.fc_credits", String.valueOf(FC_CREDIT_MESSAGES * (long)size));
        final Delivery delivery = new Delivery();
        // As in the Ringmaster node: every delivery is hashed, even one before the start time is read.
        final int senderCount = "all".equals(senders) ? nodes : 1;
        final RingNodeCommand.Receiver receiver = new RingNodeCommand.Receiver(senderCount);
        delivery.receiver = receiver;
        final String resource = stack + "-sequencer.xml";
        try (InputStream config = JGroupsNodeCommand.class.getResourceAsStream(resource);
            JChannel channel = new JChannel(config))
        {
            channel.setReceiver(delivery);
            channel.connect(CLUSTER);
            final long viewDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(viewTimeoutSeconds);
            while (delivery.members < nodes)
            {
                if (System.nanoTime() > viewDeadline)
                {
                    System.err.println("jgroups node " + node + ": view " + channel.getView() + " after "
                        + viewTimeoutSeconds + " s, expected " + nodes + " members");
                    return 1;
                }
                Thread.sleep(10);
            }
            final long startNs = RingNodeCommand.startNs(startAtMillis);
            final long windowStart = startNs + TimeUnit.SECONDS.toNanos(warmup);
            final long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
            receiver.window(windowStart, windowEnd);
            final AllocationProbe probe = AllocationProbe.start(windowStart, windowEnd, null);
            RingNodeCommand.pace(startNs);
            if ("all".equals(senders) || node == 1)
            {
                send(channel, windowEnd);
            }
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!receiver.done() && System.nanoTime() < giveUp)
            {
                Thread.sleep(1);
            }
            synchronized (delivery)
            {
                System.out.println(receiver.json("jgroups", node, nodes, size, senders, rate,
                    String.format(Locale.ROOT, "\"transport\":\"%s\",\"netmtu\":0,\"crypto\":\"none\"", stack), duration,
                    probe.json(receiver.inWindow())));
                System.out.flush();
            }
            // The coordinator is the sequencer: it must stay until every member has everything.
            RingNodeCommand.lingerUntilExit();
            return receiver.done() ? 0 : 1;
        }
    }

    /** Blocking sends (JGroups' flow control blocks the caller); each message needs its own array. */
    private void send(final JChannel channel, final long windowEnd) throws Exception
    {
        final long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long next = System.nanoTime();
        int counter = 0;
        while (System.nanoTime() < windowEnd)
        {
            if (interval > 0)
            {
                RingNodeCommand.pace(next);
                next += interval;
            }
            final byte[] payload = new byte[size];
            final UnsafeBuffer b = new UnsafeBuffer(payload);
            b.putLong(0, System.nanoTime());
            b.putInt(8, node);
            b.putInt(12, counter++);
            channel.send(new BytesMessage(null, payload));
        }
        final byte[] end = new byte[RingNodeCommand.HEADER];
        final UnsafeBuffer b = new UnsafeBuffer(end);
        b.putLong(0, counter);
        b.putInt(8, node);
        b.putInt(12, -1);
        channel.send(new BytesMessage(null, end));
    }
}
