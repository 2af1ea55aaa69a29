package org.ringmaster.crm.simple.run;

import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.ringmaster.crm.api.ClusterResourceManager;
import org.ringmaster.crm.api.CrmContext;
import org.ringmaster.crm.api.CrmPlugin;
import org.ringmaster.membership.ConfigurationChange;
import org.ringmaster.membership.EvsListener;
import org.ringmaster.totem.Guarantee;

/**
 * A second, tiny CRM proving that another resource manager plugs in by name: on every regular configuration
 * it multicasts "hello from N" and records what it hears.
 */
public final class EchoCrmPlugin implements CrmPlugin {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public ClusterResourceManager create() {
        return new Echo();
    }

    /** The echo CRM. */
    static final class Echo implements ClusterResourceManager, EvsListener {
        final List<String> heard = new ArrayList<>();
        private CrmContext ctx;
        private boolean greet;

        @Override
        public void start(CrmContext context) {
            ctx = context;
            context.channel().listener(this);
        }

        @Override
        public int doWork(long nowNs) {
            if (!greet) {
                return 0;
            }
            byte[] b = ("hello from " + ctx.view().localNodeId()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            greet = !ctx.channel().offer(new UnsafeBuffer(b), 0, b.length, Guarantee.AGREED);
            return 1;
        }

        @Override
        public void close() {
            heard.add("closed");
        }

        @Override
        public void onMessage(int sender, Guarantee guarantee, DirectBuffer buffer, int offset, int length) {
            heard.add(buffer.getStringWithoutLengthUtf8(offset, length));
        }

        @Override
        public void onConfigurationChange(ConfigurationChange change) {
            greet |= change.isRegular();
        }
    }
}
