package org.ringmaster.fencing;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe total order for tests of the threaded service: multicast delivers to every subscribed endpoint
 * under one global lock, so all endpoints see the same order (receivers only queue onto their own threads).
 */
final class SynchronousOrderedChannel {

    private final List<Endpoint> endpoints = new ArrayList<>();

    synchronized Endpoint endpoint(String node) {
        Endpoint e = new Endpoint(node);
        endpoints.add(e);
        return e;
    }

    private synchronized void deliver(String sender, byte[] payload) {
        for (Endpoint e : endpoints) {
            if (e.receiver != null) {
                e.receiver.onDeliver(sender, payload.clone());
            }
        }
    }

    final class Endpoint implements OrderedChannel {
        private final String node;
        private volatile Receiver receiver;

        Endpoint(String node) {
            this.node = node;
        }

        @Override
        public boolean multicast(byte[] payload) {
            deliver(node, payload);
            return true;
        }

        @Override
        public void subscribe(Receiver r) {
            receiver = r;
        }
    }
}
