package org.ringmaster.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ringmaster.fencing.ScriptedDeviceRunner.Behaviour.FAIL;
import static org.ringmaster.fencing.ScriptedDeviceRunner.Behaviour.HANG;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringmaster.crm.api.fencing.FenceAction;
import org.ringmaster.crm.api.fencing.FenceRequest;
import org.ringmaster.crm.api.fencing.FenceResult;
import org.ringmaster.crm.api.fencing.FenceStatus;
import org.ringmaster.fencing.agent.AgentAction;

@Timeout(20)
class FenceCoordinatorTest {

    static final List<String> NODES = List.of("node1", "node2", "node3");

    static FencingConfig.Builder devices() {
        return FencingConfig.builder()
            .device(FenceDevice.builder("ipmi", "fence_ipmilan").param("ip", "10.0.0.5").param("password", "pw")
                .hostMap("node1:bmc1;node2:bmc2;node3:bmc3").build())
            .device(FenceDevice.builder("pdu", "fence_apc").hosts("node1", "node2", "node3").build())
            .device(FenceDevice.builder("pdu-b", "fence_apc").hosts("node1", "node2", "node3").build())
            .operationTimeout(Duration.ofSeconds(60));
    }

    @Test
    void everyNodeLearnsTheSameResultAndOnlyTheOriginRunsTheDevice() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 1);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "node lost"));
        c.settle();

        assertThat(mine).hasSize(1);
        FenceResult r = mine.get(0);
        assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
        assertThat(r.executor()).isEqualTo("node1");
        assertThat(r.device()).isEqualTo("ipmi");
        assertThat(r.origin()).isEqualTo("node1");
        for (String n : NODES) {
            assertThat(c.heard.get(n)).as(n).containsExactly(r);
            assertThat(c.node(n).history()).as(n).hasSize(1);
            assertThat(c.alerted.get(n)).as(n).hasSize(1);
            assertThat(c.node(n).pendingOperations()).isZero();
        }
        List<DeviceCommand> cmds = c.runners.get("node1").commands();
        assertThat(cmds).hasSize(1);
        assertThat(cmds.get(0).plug()).isEqualTo("bmc3");
        assertThat(cmds.get(0).action()).isEqualTo(AgentAction.REBOOT);
        assertThat(c.runners.get("node2").commands()).isEmpty();
        assertThat(c.runners.get("node3").commands()).isEmpty();
    }

    @Test
    void levelOneFailsLevelTwoSucceedsAndTheHistoryShowsBoth() {
        FencingConfig cfg = devices().level("node2", 1, "ipmi").level("node2", 2, "pdu").build();
        FencerCluster c = new FencerCluster(cfg, NODES, 2);
        c.script("ipmi", FAIL);
        List<FenceResult> mine = c.submit("node3", FenceRequest.off("node2", "stop failed"));
        c.settle();

        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(r.device()).isEqualTo("pdu");
            assertThat(r.detail()).isEqualTo("level 2 after 1 failed level(s)");
        });
        for (String n : NODES) {
            FenceHistoryEntry e = c.node(n).history().get(0);
            assertThat(e.attempts()).extracting(FenceAttempt::level, FenceAttempt::device, FenceAttempt::succeeded)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "ipmi", false),
                    org.assertj.core.groups.Tuple.tuple(2, "pdu", true));
            assertThat(e.describe()).contains("level 1 ipmi off: failed (scripted failure of ipmi)")
                .contains("level 2 pdu off: ok");
        }
    }

    @Test
    void whenEveryLevelFailsTheResultIsFailedAndNamesEachFailure() {
        FencingConfig cfg = devices().level("node2", 1, "ipmi").level("node2", 2, "pdu").build();
        FencerCluster c = new FencerCluster(cfg, NODES, 3);
        c.script("ipmi", FAIL);
        c.script("pdu", FAIL);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node2", "lost"));
        c.settle();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.FAILED);
            assertThat(r.detail()).isEqualTo("all 2 level(s) failed: ipmi: scripted failure of ipmi; "
                + "pdu: scripted failure of pdu");
        });
        assertThat(c.runners.get("node1").commands()).hasSize(2);
    }

    @Test
    void allDevicesOfALevelMustSucceedAndRebootIsAllOffsThenAllOns() {
        FencingConfig cfg = devices().level("node2", 1, "pdu", "pdu-b").build();
        FencerCluster c = new FencerCluster(cfg, NODES, 4);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node2", "lost"));
        c.settle();
        assertThat(mine.get(0).device()).isEqualTo("pdu,pdu-b");
        assertThat(c.runners.get("node1").commands())
            .extracting(cmd -> cmd.device().name() + " " + cmd.action().wireName())
            .containsExactly("pdu off", "pdu-b off", "pdu on", "pdu-b on");

        FencerCluster c2 = new FencerCluster(cfg, NODES, 5);
        c2.script("pdu-b", FAIL);
        List<FenceResult> failed = c2.submit("node1", FenceRequest.off("node2", "lost"));
        c2.settle();
        assertThat(failed.get(0).status()).isEqualTo(FenceStatus.FAILED);
    }

    @Test
    void aNodeNeverFencesItselfThroughADevice() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 6);
        List<FenceResult> mine = c.submit("node3", FenceRequest.off("node3", "asked for itself"));
        c.settle();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(r.executor()).isEqualTo("node1");
        });
        assertThat(c.runners.get("node3").commands()).isEmpty();
        assertThat(c.runners.get("node1").commands()).hasSize(1);

        FencerCluster alone = new FencerCluster(devices().build(), List.of("node3"), 7);
        List<FenceResult> refused = alone.submit("node3", FenceRequest.off("node3", "alone"));
        alone.settle();
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.REFUSED);
            assertThat(r.detail()).isEqualTo("no node other than node3 can run the fencing");
        });
        assertThat(alone.runners.get("node3").commands()).isEmpty();
    }

    @Test
    void oneOperationPerTargetSameActionJoinsOtherActionQueues() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 8);
        c.runners.get("node1").script("ipmi", HANG);
        List<FenceResult> a = c.submit("node1", FenceRequest.reboot("node3", "a"));
        List<FenceResult> b = c.submit("node2", FenceRequest.reboot("node3", "b"));
        List<FenceResult> on = c.submit("node2", FenceRequest.on("node3", "power back"));
        c.settle();
        assertThat(c.runners.get("node1").commands()).hasSize(1);
        assertThat(c.runners.get("node2").commands()).isEmpty();
        assertThat(c.node("node2").pendingOperations()).isEqualTo(2);

        c.runners.get("node1").releaseHung();
        c.settle();
        assertThat(a).hasSize(1);
        assertThat(b).containsExactlyElementsOf(a);
        assertThat(on).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo(FenceAction.ON);
            assertThat(r.executor()).isEqualTo("node2");
            assertThat(r.operationId()).isNotEqualTo(a.get(0).operationId());
        });
        assertThat(c.heard.get("node3")).extracting(FenceResult::action)
            .containsExactly(FenceAction.REBOOT, FenceAction.ON);
    }

    @Test
    void requestsFromAPartitionWithoutQuorumAreRefusedUnlessPolicyAllows() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 9);
        c.quorate.get("node1").set(false);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.REFUSED);
            assertThat(r.detail()).contains("no quorum");
        });
        assertThat(c.channel.endpoint("node1").multicasts).isZero();
        assertThat(c.heard.get("node2")).isEmpty();
        assertThat(c.node("node1").history()).hasSize(1);

        FencerCluster allowed = new FencerCluster(devices().fenceWithoutQuorum(true).build(), NODES, 10);
        allowed.quorate.get("node1").set(false);
        List<FenceResult> ok = allowed.submit("node1", FenceRequest.reboot("node3", "lost"));
        allowed.settle();
        assertThat(ok.get(0).status()).isEqualTo(FenceStatus.SUCCEEDED);
    }

    @Test
    void noDeviceForTheTargetIsARefusal() {
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("pdu", "fence_apc").hosts("node1", "node2").build()).build();
        FencerCluster c = new FencerCluster(cfg, NODES, 11);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        assertThat(mine.get(0).status()).isEqualTo(FenceStatus.REFUSED);
        assertThat(mine.get(0).detail()).isEqualTo("no fence device can fence node3");
        assertThat(c.heard.get("node2")).containsExactlyElementsOf(mine);
    }

    @Test
    void aHangingDeviceTimesOutTheOperationAndALateAnswerIsIgnored() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 12);
        c.script("ipmi", HANG);
        c.script("pdu", HANG);
        c.script("pdu-b", HANG);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        c.advanceMs(59_999);
        assertThat(mine).isEmpty();
        c.advanceMs(1);
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.FAILED);
            assertThat(r.detail()).isEqualTo("timed out after 60 s (operationTimeout) at level 1 device ipmi");
        });
        c.runners.get("node1").releaseHung();
        c.advanceMs(1000);
        assertThat(c.heard.get("node2")).hasSize(1);
    }

    @Test
    void whenTheExecutorLeavesAnotherMemberStartsTheOperationOver() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 13);
        c.runners.get("node1").script("ipmi", HANG);
        List<FenceResult> fromNode1 = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        assertThat(c.runners.get("node1").commands()).hasSize(1);

        c.membership(List.of("node2", "node3"));
        c.settle();
        assertThat(c.runners.get("node2").commands()).hasSize(1);
        assertThat(c.heard.get("node2")).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(r.executor()).isEqualTo("node2");
            assertThat(r.origin()).isEqualTo("node1");
        });
        assertThat(c.heard.get("node3")).isEqualTo(c.heard.get("node2"));
        assertThat(fromNode1).isEmpty(); // node1 is cut off: it never hears the result
    }

    @Test
    void aSettlingDeviceCountsOnlyAfterItsWait() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 14);
        c.runners.values().forEach(r -> r.settle("ipmi", Duration.ofSeconds(10)));
        List<FenceResult> mine = c.submit("node1", FenceRequest.off("node3", "lost"));
        c.settle();
        c.advanceMs(9_999);
        assertThat(mine).isEmpty();
        c.advanceMs(1);
        assertThat(mine).singleElement().extracting(FenceResult::status).isEqualTo(FenceStatus.SUCCEEDED);
    }

    @Test
    void malformedMessagesAreDroppedAndCounted() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 15);
        c.channel.inject("node2", new byte[] {0x46, 0x4E, 1, 2, 0, 0});
        c.channel.inject("node2", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        c.settle();
        for (String n : NODES) {
            assertThat(c.node(n).malformedMessages()).isEqualTo(2);
        }
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        assertThat(mine).hasSize(1);
    }

    @Test
    void backPressureKeepsTheMessageUntilTheChannelTakesIt() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 16);
        c.channel.endpoint("node1").backPressure = true;
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        assertThat(mine).isEmpty();
        c.channel.endpoint("node1").backPressure = false;
        c.settle();
        assertThat(mine).hasSize(1);
    }

    @Test
    void historyIsBounded() {
        FencerCluster c = new FencerCluster(devices().historySize(2).build(), NODES, 17);
        for (int i = 0; i < 5; i++) {
            c.submit("node1", FenceRequest.reboot("node3", "round " + i));
            c.settle();
        }
        assertThat(c.node("node2").history()).hasSize(2);
        assertThat(c.heard.get("node2")).hasSize(5);
    }

    @Test
    void closeRefusesLocalWaiters() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 18);
        c.script("ipmi", HANG);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        c.node("node1").close();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.detail()).isEqualTo("fencer stopped");
            assertThat(r.target()).isEqualTo("node3");
            assertThat(r.status()).isEqualTo(FenceStatus.REFUSED);
        });
        c.channel.endpoint("node2").backPressure = true;
        List<FenceResult> undelivered = c.submit("node2", FenceRequest.off("node1", "never sent"));
        c.node("node2").close();
        assertThat(undelivered).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("node1");
            assertThat(r.action()).isEqualTo(FenceAction.OFF);
        });
    }

    @Test
    void manualFencingWaitsForTheAdminsConfirmation() {
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("meatware", FenceDevice.MANUAL).hostCheck(FenceDevice.HostCheck.NONE).build())
            .operationTimeout(Duration.ofMinutes(30)).build();
        FencerCluster c = new FencerCluster(cfg, NODES, 19, n -> new ManualDeviceRunner());
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.advanceMs(600_000);
        assertThat(mine).isEmpty();
        assertThat(c.node("node2").pendingOperations()).isEqualTo(1);

        c.node("node2").confirm("node3", c.nowNs); // the admin runs ringctl on node2
        c.settle();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FenceStatus.SUCCEEDED);
            assertThat(r.device()).isEqualTo("manual");
            assertThat(r.detail()).isEqualTo("manually confirmed off by the admin on node2");
        });
        for (String n : NODES) {
            assertThat(c.heard.get(n)).as(n).containsExactlyElementsOf(mine);
            assertThat(c.node(n).pendingOperations()).isZero();
        }
    }

    @Test
    void aConfirmationWithoutAnOperationRecordsAManualFencing() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 20);
        c.node("node1").confirm("node3", c.nowNs);
        c.settle();
        for (String n : NODES) {
            assertThat(c.heard.get(n)).singleElement().satisfies(r -> {
                assertThat(r.target()).isEqualTo("node3");
                assertThat(r.action()).isEqualTo(FenceAction.OFF);
                assertThat(r.succeeded()).isTrue();
            });
        }
        assertThat(c.heard.get("node1")).isEqualTo(c.heard.get("node2"));
    }

    @Test
    void aDelayOnOneSideBreaksATwoNodeFenceRace() {
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("ipmi-a", "fence_ipmilan").hosts("a").delay(Duration.ofSeconds(5)).build())
            .device(FenceDevice.builder("ipmi-b", "fence_ipmilan").hosts("b").build())
            .build();
        List<String> two = List.of("a", "b");
        FencerCluster c = new FencerCluster(cfg, two, 22);
        // The link breaks; both still deliver each other's requests (same ring) and shoot.
        List<FenceResult> fromA = c.submit("a", FenceRequest.reboot("b", "peer lost"));
        List<FenceResult> fromB = c.submit("b", FenceRequest.reboot("a", "peer lost"));
        c.settle();
        assertThat(fromA).singleElement().extracting(FenceResult::status).isEqualTo(FenceStatus.SUCCEEDED);
        assertThat(c.runners.get("b").commands()).as("b is still waiting its delay").isEmpty();
        // b is reset: it stops and leaves; nobody but a is left, and a never fences itself.
        c.crash("b");
        c.membership(List.of("a"));
        c.advanceMs(10_000);
        assertThat(c.runners.get("b").commands()).isEmpty();
        assertThat(c.runners.get("a").commands()).extracting(cmd -> cmd.target()).containsExactly("b");
        assertThat(c.heard.get("a")).extracting(FenceResult::target, FenceResult::status).containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", FenceStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("a", FenceStatus.REFUSED));
        assertThat(fromB).isEmpty();
    }

    @Test
    void withoutAContenderTheDelayIsServedThenTheDeviceRuns() {
        FencingConfig cfg = FencingConfig.builder()
            .device(FenceDevice.builder("ipmi-a", "fence_ipmilan").hosts("a").delay(Duration.ofSeconds(5)).build())
            .build();
        FencerCluster c = new FencerCluster(cfg, List.of("a", "b"), 23);
        List<FenceResult> fromB = c.submit("b", FenceRequest.off("a", "lost"));
        c.settle();
        c.advanceMs(4_999);
        assertThat(c.runners.get("b").commands()).isEmpty();
        c.advanceMs(1);
        assertThat(c.runners.get("b").commands()).hasSize(1);
        assertThat(fromB).singleElement().extracting(FenceResult::status).isEqualTo(FenceStatus.SUCCEEDED);
    }

    @Test
    void aSecondResultForAFinishedOperationIsIgnored() {
        FencerCluster c = new FencerCluster(devices().build(), NODES, 24);
        List<FenceResult> mine = c.submit("node1", FenceRequest.reboot("node3", "lost"));
        c.settle();
        FenceResult r = mine.get(0);
        c.channel.inject("node2", FenceMessageCodec.encode(new FenceMessage.Result(r.operationId(), "node3",
            FenceAction.REBOOT, FenceStatus.FAILED, "node1", "node2", "", "late", 0L, List.of())));
        c.settle();
        for (String n : NODES) {
            assertThat(c.heard.get(n)).as(n).containsExactly(r);
        }
    }
}
