package org.ringmaster.crm.simple.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration the engine decides on: options, nodes, resources and constraints.
 * Validated on construction: resource ids are unique and every constraint names a configured
 * resource.
 */
public record Configuration(ClusterOptions options, List<Node> nodes, List<Resource> resources,
                            Meta resourceDefaults, List<LocationConstraint> locations,
                            List<ColocationConstraint> colocations, List<OrderConstraint> orders,
                            List<FailoverDomain> failoverDomains) {
    public Configuration {
        nodes = List.copyOf(nodes);
        resources = List.copyOf(resources);
        locations = List.copyOf(locations);
        colocations = List.copyOf(colocations);
        orders = List.copyOf(orders);
        failoverDomains = List.copyOf(failoverDomains);
        Map<String, Resource> ids = new LinkedHashMap<>();
        for (Resource r : resources) {
            index(r, ids);
        }
        for (ColocationConstraint c : colocations) {
            require(ids, c.dependent(), "rsc_colocation " + c.id() + " rsc");
            require(ids, c.primary(), "rsc_colocation " + c.id() + " with-rsc");
        }
        for (OrderConstraint o : orders) {
            require(ids, o.first(), "rsc_order " + o.id() + " first");
            require(ids, o.then(), "rsc_order " + o.id() + " then");
        }
    }

    private static void index(Resource r, Map<String, Resource> ids) {
        if (ids.put(r.id(), r) != null) {
            throw new IllegalArgumentException("resource id '" + r.id() + "' is used twice");
        }
        if (r instanceof Group g) {
            g.members().forEach(m -> index(m, ids));
        } else if (r instanceof Clone c) {
            index(c.child(), ids);
        }
    }

    private static void require(Map<String, Resource> ids, String id, String where) {
        if (!ids.containsKey(id)) {
            throw new IllegalArgumentException(where + ": no resource '" + id + "'");
        }
    }

    /** Every resource by id, nested ones included, in configuration order. */
    public Map<String, Resource> resourcesById() {
        Map<String, Resource> ids = new LinkedHashMap<>();
        resources.forEach(r -> index(r, ids));
        return ids;
    }

    public Optional<Node> node(String uname) {
        return nodes.stream().filter(n -> n.uname().equals(uname)).findFirst();
    }

    /** A builder for hand-made configurations (tests, native config, haresources). */
    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private ClusterOptions options = ClusterOptions.defaults();
        private final List<Node> nodes = new ArrayList<>();
        private final List<Resource> resources = new ArrayList<>();
        private Meta defaults = Meta.EMPTY;
        private final List<LocationConstraint> locations = new ArrayList<>();
        private final List<ColocationConstraint> colocations = new ArrayList<>();
        private final List<OrderConstraint> orders = new ArrayList<>();
        private final List<FailoverDomain> domains = new ArrayList<>();

        public Builder options(ClusterOptions o) {
            options = o;
            return this;
        }

        public Builder node(String uname) {
            nodes.add(new Node(uname, uname, Map.of()));
            return this;
        }

        public Builder node(Node n) {
            nodes.add(n);
            return this;
        }

        public Builder resource(Resource r) {
            resources.add(r);
            return this;
        }

        public Builder defaults(Meta m) {
            defaults = m;
            return this;
        }

        public Builder location(String rsc, String node, int score) {
            locations.add(new LocationConstraint("loc-" + rsc + "-" + node + "-" + locations.size(), rsc, null, node,
                    score, List.of(), null));
            return this;
        }

        public Builder location(LocationConstraint c) {
            locations.add(c);
            return this;
        }

        public Builder colocation(String dependent, String primary, int score) {
            colocations.add(new ColocationConstraint("col-" + colocations.size(), dependent, primary, score, null,
                    null, null, true));
            return this;
        }

        public Builder colocation(ColocationConstraint c) {
            colocations.add(c);
            return this;
        }

        public Builder order(String first, String then, OrderConstraint.Kind kind) {
            orders.add(new OrderConstraint("ord-" + orders.size(), first, "start", then, "start", kind, true));
            return this;
        }

        public Builder order(OrderConstraint o) {
            orders.add(o);
            return this;
        }

        public Builder failoverDomain(FailoverDomain d) {
            domains.add(d);
            return this;
        }

        public Configuration build() {
            return new Configuration(options, nodes, resources, defaults, locations, colocations, orders, domains);
        }
    }
}
