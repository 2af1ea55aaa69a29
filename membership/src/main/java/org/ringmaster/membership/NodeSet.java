package org.ringmaster.membership;

import java.util.Arrays;

/**
 * A small sorted set of node ids, compared as a set (Totem pitfall: compare sets, not lists).
 * Mutable, allocation-free after construction up to its capacity.
 */
final class NodeSet
{
    private int[] ids;
    private int size;

    NodeSet()
    {
        this(8);
    }

    NodeSet(final int capacity)
    {
        ids = new int[Math.max(1, capacity)];
    }

    static NodeSet of(final int... members)
    {
        final NodeSet set = new NodeSet(members.length);
        for (final int m : members)
        {
            set.add(m);
        }
        return set;
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    int get(final int index)
    {
        return ids[index];
    }

    boolean contains(final int id)
    {
        return Arrays.binarySearch(ids, 0, size, id) >= 0;
    }

    boolean add(final int id)
    {
        final int at = Arrays.binarySearch(ids, 0, size, id);
        if (at >= 0)
        {
            return false;
        }
        final int insert = -at - 1;
        if (size == ids.length)
        {
            ids = Arrays.copyOf(ids, size * 2);
        }
        System.arraycopy(ids, insert, ids, insert + 1, size - insert);
        ids[insert] = id;
        size++;
        return true;
    }

    boolean remove(final int id)
    {
        final int at = Arrays.binarySearch(ids, 0, size, id);
        if (at < 0)
        {
            return false;
        }
        System.arraycopy(ids, at + 1, ids, at, size - at - 1);
        size--;
        return true;
    }

    void clear()
    {
        size = 0;
    }

    void copyFrom(final NodeSet other)
    {
        clear();
        for (int i = 0; i < other.size; i++)
        {
            add(other.ids[i]);
        }
    }

    /** Add every id of {@code other}; returns whether anything was added. */
    boolean addAll(final NodeSet other)
    {
        boolean changed = false;
        for (int i = 0; i < other.size; i++)
        {
            changed |= add(other.ids[i]);
        }
        return changed;
    }

    boolean containsAll(final NodeSet other)
    {
        for (int i = 0; i < other.size; i++)
        {
            if (!contains(other.ids[i]))
            {
                return false;
            }
        }
        return true;
    }

    boolean sameAs(final NodeSet other)
    {
        return size == other.size && containsAll(other);
    }

    /** this \ other, into {@code into}. */
    NodeSet minus(final NodeSet other, final NodeSet into)
    {
        into.clear();
        for (int i = 0; i < size; i++)
        {
            if (!other.contains(ids[i]))
            {
                into.add(ids[i]);
            }
        }
        return into;
    }

    int[] toArray()
    {
        return Arrays.copyOf(ids, size);
    }

    @Override
    public String toString()
    {
        return Arrays.toString(toArray());
    }
}
