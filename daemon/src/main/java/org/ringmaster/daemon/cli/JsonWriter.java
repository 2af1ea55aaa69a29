package org.ringmaster.daemon.cli;

import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for ringctl's {@code --json}: objects, arrays, strings, integers. Values that
 * look like integers are written as numbers, node-id lists ({@code 1,2,3}) as arrays.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();

    static String object(Map<String, ?> fields) {
        JsonWriter w = new JsonWriter();
        w.value(fields);
        return w.out.toString();
    }

    private void value(Object v) {
        if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(String.valueOf(e.getKey()));
                out.append(':');
                value(e.getValue());
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(l.get(i));
            }
            out.append(']');
        } else if (v instanceof int[] ids) {
            out.append('[');
            for (int i = 0; i < ids.length; i++) {
                out.append(i > 0 ? "," : "").append(ids[i]);
            }
            out.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v == null) {
            out.append("null");
        } else {
            String s = v.toString();
            if (s.matches("-?[0-9]{1,18}")) {
                out.append(s);
            } else {
                string(s);
            }
        }
    }

    private void string(String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
