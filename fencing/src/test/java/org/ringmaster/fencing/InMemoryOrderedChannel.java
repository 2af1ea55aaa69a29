package org.ringmaster.fencing;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A deterministic in-memory total order: every multicast goes into one global queue; {@link #deliverNext()} hands
 * the oldest message to every connected endpoint (sender included), in endpoint creation order.
 */
final class InMemoryOrderedChannel {

    private record Pending(String sender, byte[] payload) {
    }

    private final Queue<Pending> queue = new ArrayDeque<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    Endpoint endpoint(String node) {
        return endpoints.computeIfAbsent(node, Endpoint::new);
    }

    /** Injects raw bytes as if {@code sender} had multicast them. */
    void inject(String sender, byte[] payload) {
        queue.add(new Pending(sender, payload.clone()));
    }

    /** Delivers one message; false when the queue is empty. */
    boolean deliverNext() {
        Pending p = queue.poll();
        if (p == null) {
            return false;
        }
        for (Endpoint e : endpoints.values()) {
            if (e.connected && e.receiver != null) {
                e.receiver.onDeliver(p.sender, p.payload.clone());
            }
        }
        return true;
    }

    int queued() {
        return queue.size();
    }

    final class Endpoint implements OrderedChannel {
        final String node;
        OrderedChannel.Receiver receiver;
        boolean connected = true;
        boolean backPressure;
        int multicasts;

        Endpoint(String node) {
            this.node = node;
        }

        @Override
        public boolean multicast(byte[] payload) {
            if (backPressure || !connected) {
                return false;
            }
            multicasts++;
            queue.add(new Pending(node, payload.clone()));
            return true;
        }

        @Override
        public void subscribe(Receiver r) {
            this.receiver = r;
        }
    }
}
