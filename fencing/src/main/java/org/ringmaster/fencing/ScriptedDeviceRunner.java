package org.ringmaster.fencing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A device runner for tests and labs: records every command and answers per device as scripted (succeed, fail,
 * hang, succeed after a settle time) — no hardware, no processes. Thread-safe.
 */
public final class ScriptedDeviceRunner implements DeviceRunner {

    /** What a scripted device does. */
    public enum Behaviour { SUCCEED, FAIL, HANG }

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, Duration> settles = new ConcurrentHashMap<>();
    private final List<DeviceCommand> commands = new ArrayList<>();
    private final List<Consumer<DeviceOutcome>> hung = new ArrayList<>();

    /** Sets how {@code device} answers from now on (default {@link Behaviour#SUCCEED}). */
    public ScriptedDeviceRunner script(String device, Behaviour b) {
        behaviours.put(device, b);
        return this;
    }

    /** Successes of {@code device} ask the fencer to wait {@code settle} more (like a poison pill's msgwait). */
    public ScriptedDeviceRunner settle(String device, Duration settle) {
        settles.put(device, settle);
        return this;
    }

    @Override
    public void start(DeviceCommand c, Consumer<DeviceOutcome> done) {
        synchronized (this) {
            commands.add(c);
        }
        String d = c.device().name();
        switch (behaviours.getOrDefault(d, Behaviour.SUCCEED)) {
            case SUCCEED -> done.accept(settles.containsKey(d)
                ? DeviceOutcome.successAfter(settles.get(d), "scripted " + c.action().wireName() + " " + c.plug())
                : DeviceOutcome.success("scripted " + c.action().wireName() + " " + c.plug()));
            case FAIL -> done.accept(DeviceOutcome.failure("scripted failure of " + d));
            case HANG -> {
                synchronized (this) {
                    hung.add(done); // answered never (or late, by releaseHung)
                }
            }
        }
    }

    /** Answers every hung command now with a success (a device answering after the fencer gave up). */
    public void releaseHung() {
        List<Consumer<DeviceOutcome>> copy;
        synchronized (this) {
            copy = new ArrayList<>(hung);
            hung.clear();
        }
        copy.forEach(d -> d.accept(DeviceOutcome.success("late answer")));
    }

    /** Every command started so far, in order. */
    public synchronized List<DeviceCommand> commands() {
        return List.copyOf(commands);
    }
}
