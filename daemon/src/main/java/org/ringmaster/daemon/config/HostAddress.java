package org.ringmaster.daemon.config;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An address configured on one of this host's network interfaces, with its prefix length.
 *
 * @param address      the interface address
 * @param prefixLength its network prefix (e.g. 8 for Linux's 127.0.0.1/8 on lo)
 */
public record HostAddress(InetAddress address, int prefixLength) {

    /** The addresses of all interfaces that are up, as the JDK reports them. */
    public static List<HostAddress> ofThisHost() throws SocketException {
        List<HostAddress> all = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                all.add(new HostAddress(ia.getAddress(), ia.getNetworkPrefixLength()));
            }
        }
        return all;
    }

    /**
     * Whether datagrams to {@code other} are delivered to this host through this address: the same
     * address, or (loopback only) any address of the loopback network. Linux answers on all of
     * 127.0.0.0/8 although only 127.0.0.1 is listed, which is what lets several nodes share a host.
     */
    public boolean covers(InetAddress other) {
        if (address.equals(other)) {
            return true;
        }
        if (!address.isLoopbackAddress() || !other.isLoopbackAddress()) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = Math.min(prefixLength, a.length * 8);
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
