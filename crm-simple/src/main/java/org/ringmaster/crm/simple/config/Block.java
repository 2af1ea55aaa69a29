package org.ringmaster.crm.simple.config;

import java.util.ArrayList;
import java.util.List;

/** A parsed {@code name { key: value ... }} block of a corosync-style file. */
final class Block {
    record Entry(String key, String value, int line) {
    }

    final String name;
    final int line;
    final List<Entry> entries = new ArrayList<>();
    final List<Block> blocks = new ArrayList<>();

    Block(String name, int line) {
        this.name = name;
        this.line = line;
    }

    List<String> all(String key) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.key.equals(key)) {
                out.add(e.value);
            }
        }
        return out;
    }

    Entry entry(String key) {
        Entry found = null;
        for (Entry e : entries) {
            if (e.key.equals(key)) {
                found = e;
            }
        }
        return found;
    }

    String get(String key) {
        Entry e = entry(key);
        return e == null ? null : e.value;
    }

    /** Parses corosync.conf syntax: {@code key: value} lines, {@code name {} ... {@code }}, # comments. */
    static Block parse(String text, String source) throws ConfigFormatException {
        Block root = new Block("", 0);
        List<Block> stack = new ArrayList<>();
        stack.add(root);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Block top = stack.get(stack.size() - 1);
            if (l.equals("}")) {
                if (stack.size() == 1) {
                    throw new ConfigFormatException(source + ":" + no + ": '}' without an open section");
                }
                stack.remove(stack.size() - 1);
            } else if (l.endsWith("{")) {
                String name = l.substring(0, l.length() - 1).strip();
                if (name.isEmpty() || name.contains(" ") || name.contains(":")) {
                    throw new ConfigFormatException(source + ":" + no + ": bad section name '" + name + "'");
                }
                Block b = new Block(name, no);
                top.blocks.add(b);
                stack.add(b);
            } else {
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    throw new ConfigFormatException(source + ":" + no + ": expected 'key: value', got '" + l + "'");
                }
                top.entries.add(new Entry(l.substring(0, colon).strip(), l.substring(colon + 1).strip(), no));
            }
        }
        if (stack.size() > 1) {
            Block open = stack.get(stack.size() - 1);
            throw new ConfigFormatException(source + ":" + open.line + ": section '" + open.name + "' is not closed");
        }
        return root;
    }
}
