package org.ringmaster.daemon.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code totem} section: ring protocol timing, transport, links and crypto, with corosync
 * 3.1.7's defaults and meaning (corosync.conf(5)). All times are milliseconds. As in Corosync, a
 * timeout of 0 means "use the default".
 *
 * @param version                         {@code version}: must be 2.
 * @param clusterName                     {@code cluster_name}; no default.
 * @param configVersion                   {@code config_version}; default 0.
 * @param transport                       {@code transport}: udpu, udp or knet; default knet.
 * @param tokenMs                         {@code token} as configured; default 3000.
 * @param tokenCoefficientMs              {@code token_coefficient}; default 650.
 * @param effectiveTokenMs                the token timeout in use: {@code token + (nodes - 2) * token_coefficient}
 *                                        when the node list has 3 or more nodes, else {@code token}.
 * @param tokenRetransmitsBeforeLossConst {@code token_retransmits_before_loss_const}; default 4.
 * @param tokenRetransmitMs               {@code token_retransmit}; default effective token / (retransmits + 0.2).
 * @param holdMs                          {@code hold}; default token_retransmit * 0.8 - 10.
 * @param tokenWarningPercent             {@code token_warning}: percent of token, 0 disables; default 75.
 * @param consensusMs                     {@code consensus}; default 1.2 * effective token.
 * @param joinMs                          {@code join}; default 50.
 * @param sendJoinMs                      {@code send_join}; default 0.
 * @param mergeMs                         {@code merge}; default 200.
 * @param downcheckMs                     {@code downcheck}; default 1000.
 * @param failRecvConst                   {@code fail_recv_const}; default 2500.
 * @param seqnoUnchangedConst             {@code seqno_unchanged_const}; default 30.
 * @param missCountConst                  {@code miss_count_const}; default 5.
 * @param windowSize                      {@code window_size}; default 50.
 * @param maxMessages                     {@code max_messages}; default 17.
 * @param netmtu                          {@code netmtu} as configured, or {@link #NETMTU_AUTO} when it is not set
 *                                        or set to {@code auto} (ours): the daemon then chooses it at start from
 *                                        the node addresses (udpu and knet; knet's own default, 65536, means
 *                                        the same) or uses 1500 (udp multicast). See {@code NodeSettings}.
 * @param cryptoCipher                    {@code crypto_cipher}: none, aes256, aes192, aes128; default none
 *                                        (aes256 when {@code secauth: on}).
 * @param cryptoHash                      {@code crypto_hash}: none, md5, sha1, sha256, sha384, sha512; default none
 *                                        (sha256 when {@code secauth: on}).
 * @param keyfile                         {@code keyfile}; default /etc/corosync/authkey.
 * @param links                           {@code interface} sections by link number; one default link 0 if none.
 * @param linkMode                        {@code link_mode}: passive or active; default passive.
 * @param accelerated                     {@code accelerated} (ours, not corosync's): yes or no; whether the ring
 *                                        forwards the token before the last new messages of a visit (the
 *                                        Accelerated Ring); default yes.
 * @param acceleratedWindow               {@code accelerated_window} (ours): how many of a visit's new messages
 *                                        may follow the token, 0..max_messages; default max_messages.
 */
public record TotemConfig(int version, Optional<String> clusterName, long configVersion, Transport transport,
                          long tokenMs, long tokenCoefficientMs, long effectiveTokenMs,
                          long tokenRetransmitsBeforeLossConst, long tokenRetransmitMs, long holdMs,
                          long tokenWarningPercent, long consensusMs, long joinMs, long sendJoinMs, long mergeMs,
                          long downcheckMs, long failRecvConst, long seqnoUnchangedConst, long missCountConst,
                          long windowSize, long maxMessages, long netmtu, String cryptoCipher, String cryptoHash,
                          String keyfile, List<LinkConfig> links, String linkMode, boolean accelerated,
                          long acceleratedWindow) {

    public static final long DEFAULT_TOKEN_MS = 3000;
    public static final long DEFAULT_TOKEN_COEFFICIENT_MS = 650;
    public static final long DEFAULT_TOKEN_RETRANSMITS_BEFORE_LOSS = 4;
    public static final long DEFAULT_TOKEN_WARNING_PERCENT = 75;
    public static final long DEFAULT_JOIN_MS = 50;
    public static final long DEFAULT_MERGE_MS = 200;
    public static final long DEFAULT_DOWNCHECK_MS = 1000;
    public static final long DEFAULT_FAIL_RECV_CONST = 2500;
    public static final long DEFAULT_SEQNO_UNCHANGED_CONST = 30;
    public static final long DEFAULT_MISS_COUNT_CONST = 5;
    public static final long DEFAULT_WINDOW_SIZE = 50;
    public static final long DEFAULT_MAX_MESSAGES = 17;
    public static final boolean DEFAULT_ACCELERATED = true;
    public static final String DEFAULT_KEYFILE = "/etc/corosync/authkey";
    /** {@link #netmtu()} when it is not set, or set to {@code auto}: chosen at start. */
    public static final long NETMTU_AUTO = 0;
    /** Corosync's udp/udpu netmtu, and the framing assumed where netmtu is chosen at start. */
    public static final long CONVENTIONAL_NETMTU = 1500;
    /** knet's netmtu default: "discover the path MTU". */
    public static final long KNET_DEFAULT_NETMTU = 65536;
    /** Corosync's floor for timeouts: 3 ticks of a 100 Hz kernel. */
    public static final long MINIMUM_TIMEOUT_MS = 30;
    /** Corosync's floor for hold: MINIMUM_TIMEOUT * 0.8 - one tick. */
    public static final long MINIMUM_HOLD_MS = 14;
    /** 1000 / HZ as corosync uses it in the hold formula. */
    private static final long TICK_MS = 10;
    /** Kernel buffer budget behind corosync's advice window_size, max_messages &lt;= 256000 / netmtu. */
    private static final long BUFFER_BUDGET = 256000;

    static final List<String> CIPHERS = List.of("none", "aes256", "aes192", "aes128");
    static final List<String> HASHES = List.of("none", "md5", "sha1", "sha256", "sha384", "sha512");

    public TotemConfig {
        links = List.copyOf(links);
    }

    /** True when messages are encrypted or authenticated. */
    public boolean cryptoEnabled() {
        return !"none".equals(cryptoCipher) || !"none".equals(cryptoHash);
    }

    /** The link with this number. */
    public Optional<LinkConfig> link(int linknumber) {
        return links.stream().filter(l -> l.linknumber() == linknumber).findFirst();
    }

    private static final Map<String, String> NOT_IMPLEMENTED = SectionReader.reasons(
            "threads", "corosync 2 option, removed in corosync 3",
            "rrp_mode", "corosync 2 redundant ring option; links are configured with interface sections",
            "rrp_problem_count_timeout", "corosync 2 redundant ring option",
            "rrp_problem_count_threshold", "corosync 2 redundant ring option",
            "rrp_problem_count_mcast_threshold", "corosync 2 redundant ring option",
            "rrp_token_expired_timeout", "corosync 2 redundant ring option",
            "rrp_autorecovery_check_timeout", "corosync 2 redundant ring option",
            "vsftype", "corosync 1 option",
            "nodeid", "deprecated in corosync; node ids come from the nodelist",
            "crypto_model", "ringmaster uses the JDK's cryptography",
            "crypto_type", "corosync 2 name; use crypto_cipher",
            "crypto_accept", "corosync 1 option",
            "key", "inline keys are not supported; use keyfile",
            "ip_version", "addresses are resolved by the JDK resolver (IPv4 and IPv6)",
            "heartbeat_failures_allowed", "the heartbeat failure detector is not implemented; token loss detects failures",
            "max_network_delay", "the heartbeat failure detector is not implemented",
            "cancel_token_hold_on_retransmit", "not implemented",
            "block_unlisted_ips", "always on: datagrams from addresses outside the nodelist are dropped",
            "knet_compression_model", "knet compression is not implemented",
            "knet_compression_threshold", "knet compression is not implemented",
            "knet_compression_level", "knet compression is not implemented",
            "knet_pmtud_interval", "path MTU discovery is not implemented; netmtu is used",
            "knet_mtu", "path MTU discovery is not implemented; netmtu is used");

    static TotemConfig read(SectionReader r, Transport transport, int nodeCount) {
        Diagnostics d = r.diagnostics();
        int version = r.intValue("version", 0, 0, Integer.MAX_VALUE);
        if (version != 2) {
            SourcePosition at = r.entry("version").map(ConfigEntry::valuePosition).orElse(r.section().position());
            d.error(at, r.key("version"), r.has("version")
                    ? "only version 2 configurations are supported, found " + version
                    : "missing; corosync requires 'version: 2'");
        }
        Optional<String> clusterName = r.string("cluster_name");
        long configVersion = r.number("config_version", 0, 0, Long.MAX_VALUE);

        long token = nonZero(r, "token", DEFAULT_TOKEN_MS);
        long coefficient = r.number("token_coefficient", DEFAULT_TOKEN_COEFFICIENT_MS, 0, 0xffffffffL);
        long effectiveToken = nodeCount >= 3 ? token + (nodeCount - 2) * coefficient : token;
        long retransmits = nonZero(r, "token_retransmits_before_loss_const", DEFAULT_TOKEN_RETRANSMITS_BEFORE_LOSS);
        long retransmit = nonZero(r, "token_retransmit", (long) (effectiveToken / (retransmits + 0.2)));
        long hold = nonZero(r, "hold", (long) (retransmit * 0.8 - TICK_MS));
        long tokenWarning = r.number("token_warning", DEFAULT_TOKEN_WARNING_PERCENT, 0, 100);
        long consensus = nonZero(r, "consensus", (long) (1.2 * effectiveToken));
        long join = nonZero(r, "join", DEFAULT_JOIN_MS);
        long sendJoin = r.number("send_join", 0, 0, 0xffffffffL);
        long merge = nonZero(r, "merge", DEFAULT_MERGE_MS);
        long downcheck = nonZero(r, "downcheck", DEFAULT_DOWNCHECK_MS);
        long failRecv = nonZero(r, "fail_recv_const", DEFAULT_FAIL_RECV_CONST);
        long seqnoUnchanged = nonZero(r, "seqno_unchanged_const", DEFAULT_SEQNO_UNCHANGED_CONST);
        long missCount = nonZero(r, "miss_count_const", DEFAULT_MISS_COUNT_CONST);
        long window = nonZero(r, "window_size", DEFAULT_WINDOW_SIZE);
        long maxMessages = nonZero(r, "max_messages", DEFAULT_MAX_MESSAGES);
        // "auto" is ours; Corosync takes only a number (0, as for its timing values, means the default).
        boolean netmtuAuto = r.entry("netmtu").map(e -> e.value().equals("auto")).orElse(false);
        long netmtu = netmtuAuto ? NETMTU_AUTO : r.number("netmtu", NETMTU_AUTO, 0, 0xffffffffL);

        minimum(r, "token", token, MINIMUM_TIMEOUT_MS);
        if (retransmit < MINIMUM_TIMEOUT_MS) {
            if (r.has("token_retransmit")) {
                minimum(r, "token_retransmit", retransmit, MINIMUM_TIMEOUT_MS);
            } else {
                d.error(at(r, "token"), r.key("token"), "token " + effectiveToken
                        + " ms and token_retransmits_before_loss_const " + retransmits + " give a token_retransmit of "
                        + retransmit + " ms, below the minimum of " + MINIMUM_TIMEOUT_MS + " ms");
            }
        }
        minimum(r, "hold", hold, MINIMUM_HOLD_MS);
        minimum(r, "join", join, MINIMUM_TIMEOUT_MS);
        minimum(r, "consensus", consensus, MINIMUM_TIMEOUT_MS);
        minimum(r, "merge", merge, MINIMUM_TIMEOUT_MS);
        minimum(r, "downcheck", downcheck, MINIMUM_TIMEOUT_MS);
        if (consensus < join) {
            d.error(at(r, "consensus"), r.key("consensus"), "consensus " + consensus
                    + " ms may not be less than join " + join + " ms");
        }
        if (consensus < (long) (1.2 * effectiveToken)) {
            d.warn(at(r, "consensus"), r.key("consensus"), "consensus " + consensus + " ms is less than 1.2 * token "
                    + "(token " + effectiveToken + " ms" + (effectiveToken != token ? " effective" : "")
                    + ", so at least " + (long) (1.2 * effectiveToken) + " ms); corosync.conf(5) says the minimum is "
                    + "1.2 * token, and membership may change spuriously");
        }
        if (maxMessages > window) {
            d.warn(at(r, "max_messages"), r.key("max_messages"), "max_messages " + maxMessages
                    + " is larger than window_size " + window + "; a node never sends more than window_size per rotation");
        }
        // Where netmtu is chosen at start, the advice is checked against Corosync's usual 1500.
        long framing = netmtuChosenAtStart(transport, netmtu) ? CONVENTIONAL_NETMTU : netmtu;
        long bufferLimit = BUFFER_BUDGET / framing;
        if (r.has("window_size") && window > bufferLimit) {
            d.warn(at(r, "window_size"), r.key("window_size"), "window_size " + window + " exceeds 256000 / netmtu "
                    + framing + " = " + bufferLimit + "; slow nodes may overflow their receive buffers");
        }
        if (r.has("max_messages") && maxMessages > bufferLimit) {
            d.warn(at(r, "max_messages"), r.key("max_messages"), "max_messages " + maxMessages
                    + " exceeds 256000 / netmtu " + framing + " = " + bufferLimit);
        }

        boolean accelerated = r.yesNo("accelerated").orElse(DEFAULT_ACCELERATED);
        long acceleratedWindow = r.number("accelerated_window", maxMessages, 0, 0xffffffffL);
        if (acceleratedWindow > maxMessages) {
            d.error(at(r, "accelerated_window"), r.key("accelerated_window"), "accelerated_window "
                    + acceleratedWindow + " is larger than max_messages " + maxMessages
                    + "; at most a visit's own messages can follow the token");
        }

        boolean secauth = false;
        Optional<ConfigEntry> secauthEntry = r.entry("secauth");
        if (secauthEntry.isPresent()) {
            String v = secauthEntry.get().value();
            secauth = "on".equals(v);
            if (!"on".equals(v) && !"off".equals(v)) {
                d.warn(secauthEntry.get().valuePosition(), r.key("secauth"), "'" + v
                        + "' is read as off: corosync only enables secauth with the exact value 'on'");
            }
        }
        String cipher = r.choice("crypto_cipher", CIPHERS).orElse(secauth ? "aes256" : "none");
        String hash = r.choice("crypto_hash", HASHES).orElse(secauth ? "sha256" : "none");
        if (!"none".equals(cipher) && "none".equals(hash)) {
            d.error(at(r, "crypto_cipher"), r.key("crypto_cipher"), "crypto_cipher " + cipher
                    + " requires crypto_hash other than none (crypto_hash is " + hash + ")");
        }
        String keyfile = r.string("keyfile", DEFAULT_KEYFILE);

        List<LinkConfig> links = new ArrayList<>();
        for (ConfigSection s : r.sections("interface")) {
            LinkConfig link = LinkConfig.read(new SectionReader(s, r.key("interface"), d), transport);
            for (LinkConfig other : links) {
                if (other.linknumber() == link.linknumber()) {
                    d.error(link.position(), r.key("interface"), "link " + link.linknumber()
                            + " is configured twice (first interface section at " + other.position() + ")");
                }
            }
            links.add(link);
        }
        if (links.isEmpty()) {
            links.add(LinkConfig.defaults(0));
        }
        links.sort(Comparator.comparingInt(LinkConfig::linknumber));
        // knet link_mode: passive (one link at a time, by priority) or active (all links, copies dropped).
        String linkMode = r.choice("link_mode", List.of("passive", "active", "rr")).orElse("passive");
        if (linkMode.equals("rr")) {
            d.error(at(r, "link_mode"), r.key("link_mode"), "round-robin link mode is not supported; use passive or active");
        }
        r.finish(NOT_IMPLEMENTED);
        return new TotemConfig(version, clusterName, configVersion, transport, token, coefficient, effectiveToken,
                retransmits, retransmit, hold, tokenWarning, consensus, join, sendJoin, merge, downcheck, failRecv,
                seqnoUnchanged, missCount, window, maxMessages, netmtu, cipher, hash, keyfile, links, linkMode,
                accelerated, acceleratedWindow);
    }

    /**
     * Whether netmtu is left to the daemon: not set, {@code auto}, or, with knet, knet's default
     * 65536 and above ("discover").
     */
    public static boolean netmtuChosenAtStart(Transport transport, long netmtu) {
        return netmtu == NETMTU_AUTO || (transport == Transport.KNET && netmtu >= KNET_DEFAULT_NETMTU);
    }

    /** {@link #netmtuChosenAtStart(Transport, long)} for this section. */
    public boolean netmtuChosenAtStart() {
        return netmtuChosenAtStart(transport, netmtu);
    }

    static Transport readTransport(SectionReader r) {
        return r.choice("transport", List.of("udpu", "udp", "knet"))
                .map(v -> Transport.valueOf(v.toUpperCase(java.util.Locale.ROOT)))
                .orElse(Transport.KNET);
    }

    /** Corosync treats 0 as "not set" for its timing values. */
    private static long nonZero(SectionReader r, String key, long defaultValue) {
        long v = r.number(key, 0, 0, 0xffffffffL);
        return v == 0 ? defaultValue : v;
    }

    private static void minimum(SectionReader r, String key, long value, long min) {
        if (value < min) {
            r.diagnostics().error(at(r, key), r.key(key), key + " " + value + " ms may not be less than " + min + " ms");
        }
    }

    private static SourcePosition at(SectionReader r, String key) {
        return r.section().entries().stream().filter(e -> e.key().equals(key)).reduce((a, b) -> b)
                .map(ConfigEntry::valuePosition).orElse(r.section().position());
    }
}
