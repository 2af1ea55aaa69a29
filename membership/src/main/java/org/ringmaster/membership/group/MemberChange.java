package org.ringmaster.membership.group;

/**
 * One member that joined or left a group view, and why.
 *
 * @param member the member.
 * @param reason why it joined or left.
 */
public record MemberChange(GroupMember member, Reason reason)
{
    /** Why a member joined or left a group. */
    public enum Reason
    {
        /** The member joined with {@link GroupService#join}. */
        JOIN,
        /** The member left cleanly with {@link GroupHandle#leave()}. */
        LEAVE,
        /**
         * The member's node left this node's configuration. {@link GroupView#cause()} says what the
         * channel knew: {@code LEAVE} (the node shut down cleanly), {@code TOKEN_LOSS} (it crashed, hung
         * or is on the other side of a partition: the two cannot be told apart at this point),
         * {@code FAIL_TO_RECEIVE}.
         */
        NODE_DOWN,
        /**
         * Learned in the sync that follows a configuration change: the member lives on a node that
         * came into this configuration (a partition healed or a node started with members already
         * joined), or it was reconciled after a sync cut short by another change.
         */
        MERGE
    }

    @Override
    public String toString()
    {
        return member + " " + reason;
    }
}
