package nl.betrokken.node.web;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.matcher.ElementMatchers;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.consent.CitizenConsents;
import nl.betrokken.problem.Problems;

/**
 * A stand-in for {@link CitizenConsents} that the test feeds with requests, so that the portal's consent pages can be
 * walked, checked by axe-core and photographed without a federation. Only on a node started with {@value #PROPERTY}.
 * The real class is subclassed at run time (Byte Buddy, on the test class path through Selenium) and made without
 * running its constructor, so that this stand-in does not depend on what the real service needs to be built. It keeps
 * the service's rules as the brief states them: a role answers once while the request is pending; a refusal refuses
 * the request; every needed role granted grants it; a granted or pending consent the person granted can be withdrawn.
 */
public final class FakeConsents {

    public static final String PROPERTY = "betrokken.test.fake-consents";

    /** The requests, by id. */
    static final Map<UUID, Vraag> VRAGEN = new ConcurrentHashMap<>();
    /** The regions "not answering" in the pages (empty: all answered). */
    static volatile List<String> unavailable = List.of();

    /** One request: its facts, the people who may answer with their role, the answers given. */
    static final class Vraag {
        final UUID id = UUID.randomUUID();
        final String youthName;
        final String purpose;
        final List<String> needs;
        final Map<String, String> people = new LinkedHashMap<>();
        final Map<String, String> answers = new LinkedHashMap<>();
        final Instant askedAt = Instant.now();
        volatile String ended;
        volatile LocalDate validUntil;

        Vraag(String youthName, String purpose, List<String> needs) {
            this.youthName = youthName;
            this.purpose = purpose;
            this.needs = needs;
        }

        Vraag with(String bsn, String role) {
            people.put(bsn, role);
            return this;
        }

        synchronized String status() {
            if (ended != null) {
                return ended;
            }
            if (answers.containsValue("REFUSED")) {
                return "REFUSED";
            }
            return needs.stream().allMatch(r -> "GRANTED".equals(answers.get(r))) ? "GRANTED" : "PENDING";
        }

        synchronized CitizenConsents.Item item(String bsn) {
            String role = people.get(bsn);
            String status = status();
            String mine = answers.get(role);
            List<String> granted = needs.stream().filter(r -> "GRANTED".equals(answers.get(r))).toList();
            return new CitizenConsents.Item("noord", id.toString(), "CHILD", role, youthName, purpose,
                    "noord-org-a", "Professional A (noord)", "oost-org-a", status, needs, granted, mine, validUntil,
                    "PENDING".equals(status) && needs.contains(role) && mine == null,
                    ("PENDING".equals(status) || "GRANTED".equals(status)) && "GRANTED".equals(mine), askedAt);
        }
    }

    /** Adds a request and returns it. */
    static Vraag ask(String youthName, String purpose, List<String> needs) {
        Vraag v = new Vraag(youthName, purpose, needs);
        VRAGEN.put(v.id, v);
        return v;
    }

    private FakeConsents() {
    }

    // The service's methods, called through the generated subclass.

    public CitizenConsents.Page requests(Bsn person) {
        return new CitizenConsents.Page(items(person).stream().filter(CitizenConsents.Item::canAnswer).toList(),
                unavailable);
    }

    public CitizenConsents.Page consents(Bsn person) {
        return new CitizenConsents.Page(items(person), unavailable);
    }

    public void grant(Bsn person, UUID id, @Nullable LocalDate validUntil) {
        answer(person, id, "GRANTED", validUntil);
    }

    public void refuse(Bsn person, UUID id) {
        answer(person, id, "REFUSED", null);
    }

    public void withdraw(Bsn person, UUID id) {
        Vraag v = mine(person, id);
        synchronized (v) {
            if (!v.item(person.digits()).canWithdraw()) {
                throw Problems.conflict("consent-not-granted", "Not granted", "id", "nothing to withdraw");
            }
            v.ended = "WITHDRAWN";
        }
    }

    private void answer(Bsn person, UUID id, String answer, @Nullable LocalDate validUntil) {
        Vraag v = mine(person, id);
        synchronized (v) {
            if (!v.item(person.digits()).canAnswer()) {
                throw Problems.conflict("consent-not-pending", "Not pending", "id", "not open for this person");
            }
            v.answers.put(v.people.get(person.digits()), answer);
            if (validUntil != null && (v.validUntil == null || validUntil.isBefore(v.validUntil))) {
                v.validUntil = validUntil;
            }
        }
    }

    private static Vraag mine(Bsn person, UUID id) {
        Vraag v = VRAGEN.get(id);
        if (v == null || !v.people.containsKey(person.digits())) {
            throw Problems.notFound("consent-not-found", "No such consent request", "no consent request of yours");
        }
        return v;
    }

    private static List<CitizenConsents.Item> items(Bsn person) {
        List<CitizenConsents.Item> items = new ArrayList<>();
        for (Vraag v : VRAGEN.values()) {
            if (v.people.containsKey(person.digits())) {
                items.add(v.item(person.digits()));
            }
        }
        items.sort((a, b) -> b.askedAt().compareTo(a.askedAt()));
        return items;
    }

    /** The bean: a subclass of the real service whose public methods all go to a {@link FakeConsents}. */
    @Factory
    @Requires(property = PROPERTY, value = "true")
    static class Beans {
        @Singleton
        @Replaces(CitizenConsents.class)
        CitizenConsents consents() {
            FakeConsents fake = new FakeConsents();
            InvocationHandler handler = (proxy, method, args) -> {
                Method m = FakeConsents.class.getMethod(method.getName(), method.getParameterTypes());
                try {
                    return m.invoke(fake, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            try {
                Class<? extends CitizenConsents> type = new ByteBuddy()
                        .subclass(CitizenConsents.class, ConstructorStrategy.Default.NO_CONSTRUCTORS)
                        .method(ElementMatchers.isPublic().and(ElementMatchers.isDeclaredBy(CitizenConsents.class)))
                        .intercept(InvocationHandlerAdapter.of(handler))
                        .make().load(CitizenConsents.class.getClassLoader()).getLoaded();
                // An instance without running any constructor of the real class (as deserialisation makes one).
                Class<?> factory = Class.forName("sun.reflect.ReflectionFactory");
                Object rf = factory.getMethod("getReflectionFactory").invoke(null);
                Constructor<?> make = (Constructor<?>) factory.getMethod("newConstructorForSerialization", Class.class,
                        Constructor.class).invoke(rf, type, Object.class.getDeclaredConstructor());
                return type.cast(make.newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make the stand-in of CitizenConsents", e);
            }
        }
    }
}
