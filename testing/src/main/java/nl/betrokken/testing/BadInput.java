package nl.betrokken.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.type.Argument;

/**
 * The bad inputs that both services' {@code BadInputTest} send to every route: bodies that are no JSON or JSON of the
 * wrong shape, each field of a route's body with a value of the wrong type, injection strings in each string field,
 * path variable and query parameter. A body is built from the route's body type (its bean introspection), as plain
 * maps and lists for the caller's JSON mapper, so that a new field or endpoint is covered without editing the corpus.
 */
public final class BadInput {

    /**
     * Strings that must be stored literally or refused, never interpreted: SQL, HTML, a path, NUL, and what an
     * overlong UTF-8 sequence decodes to in a lenient decoder with bidi and non-characters (a JSON string holds no
     * invalid UTF-8 itself; {@link #ENCODED_INJECTIONS} sends the bytes).
     */
    public static final Map<String, String> INJECTIONS = Map.of(
            "SQL", "' OR 1=1 --",
            "script", "<script>alert(1)</script>",
            "path traversal", "../../../../etc/passwd",
            "NUL byte", "a\u0000b",
            "overlong unicode", "\u00c0\u00af\u202e\ufeff\uffff");

    /**
     * The same for a path variable or query value, percent-encoded as an attacker sends them: the overlong UTF-8
     * encoding of {@code ../} ({@code %C0%AE}) and a NUL byte among them, and a value of 3,000 characters.
     */
    public static final Map<String, String> ENCODED_INJECTIONS = Map.of(
            "SQL", "%27%20OR%201%3D1%20--",
            "script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "path traversal", "..%2F..%2F..%2Fetc%2Fpasswd",
            "NUL byte", "a%00b",
            "overlong unicode", "%C0%AE%C0%AE%2F%C0%AF",
            "long", "x".repeat(3_000));

    /** Bodies that are no JSON object: each must be refused naming {@code body}. */
    public static final Map<String, String> MALFORMED = Map.of(
            "truncated JSON", "{\"a\": \"b",
            "not JSON", "a=b&c=d",
            "JSON array for an object", "[]",
            "JSON number for an object", "42",
            "JSON string for an object", "\"x\"");

    private static final Pattern ALTERNATIVES = Pattern.compile("[A-Z_]+(\\|[A-Z_]+)+");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}?/:&]+)(:[^}]*)?}");
    private static final Pattern QUERY = Pattern.compile("\\{[?&][^}]*}");

    private BadInput() {
    }

    /** One bad body: what it is, the field it breaks (or {@code body}), and the body as maps and lists. */
    public record Variant(String description, String field, Object body) {
    }

    /**
     * Whether the fields a refusal names include {@code field} (as {@code signals[0].ref}, or its last name as the
     * validator gives it, {@code ref}), or {@code body} for a value the decoder could not place.
     */
    public static boolean names(List<String> named, String field) {
        String last = field.replaceAll(".*[.\\]]", "");
        return named.stream().anyMatch(n -> n.equals(field) || n.equals("body") || n.equals(last)
                || n.endsWith("." + last));
    }

    /** The names of a route template's path variables, its query part left out. */
    public static List<String> variables(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(QUERY.matcher(template).replaceAll(""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The path of a route template, its query part left out, each variable the value {@code fill} gives its name. */
    public static String path(String template, UnaryOperator<String> fill) {
        Matcher m = VARIABLE.matcher(QUERY.matcher(template).replaceAll(""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(fill.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A body of {@code type} with every component filled with a value of its type (a list with one element, the
     * first of a pattern's alternatives), so that what a variant breaks is the one thing it changes.
     */
    public static Object sample(Argument<?> argument) {
        return sample(argument, true);
    }

    /** As {@link #sample(Argument)}; with {@code listElement} false every list is empty. */
    public static Object sample(Argument<?> argument, boolean listElement) {
        Class<?> type = argument.getType();
        if (type == String.class) {
            return "sample-1";
        }
        if (type == UUID.class) {
            return UUID.randomUUID().toString();
        }
        if (type == Instant.class) {
            return Instant.now().toString();
        }
        if (type == LocalDate.class) {
            return LocalDate.now().toString();
        }
        if (type == boolean.class || type == Boolean.class) {
            return false;
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return 1;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0].toString();
        }
        if (List.class.isAssignableFrom(type) || Set.class.isAssignableFrom(type)) {
            Argument<?>[] element = argument.getTypeParameters();
            return element.length == 1 && listElement ? new ArrayList<>(List.of(sample(element[0], true)))
                    : new ArrayList<>();
        }
        if (Map.class.isAssignableFrom(type) || type == Object.class) {
            return new LinkedHashMap<>();
        }
        BeanIntrospection<?> introspection = BeanIntrospector.SHARED.findIntrospection(type)
                .orElseThrow(() -> new AssertionError("no sample for a body of type " + type.getName()));
        Map<String, Object> body = new LinkedHashMap<>();
        for (Argument<?> component : introspection.getConstructorArguments()) {
            String regexp = component.getAnnotationMetadata()
                    .stringValue(jakarta.validation.constraints.Pattern.class, "regexp").orElse(null);
            if (component.getType() == String.class && regexp != null && ALTERNATIVES.matcher(regexp).matches()) {
                body.put(component.getName(), regexp.substring(0, regexp.indexOf('|')));
            } else {
                body.put(component.getName(), sample(component, listElement));
            }
        }
        return body;
    }

    /**
     * The variants of {@code sample}: each leaf (a field that is no object or list) once with an object, a number also
     * with a string, and each string leaf once with each injection string.
     */
    public static List<Variant> variants(Object sample) {
        List<Variant> out = new ArrayList<>();
        for (Map.Entry<String, Object> leaf : leaves(sample, "").entrySet()) {
            String path = leaf.getKey();
            Object value = leaf.getValue();
            // A number for a string is no test: the decoder takes it as its digits (a date as a day count); nor is a
            // scalar for a list (a list of one) or a string for a boolean. An object it takes for none of them.
            if (value instanceof Number) {
                out.add(new Variant(path + " of the wrong type", path, with(sample, path, "not-a-number")));
            }
            out.add(new Variant(path + " an object", path, with(sample, path, Map.of("x", 1))));
            if (value instanceof String) {
                INJECTIONS.forEach((name, text) ->
                        out.add(new Variant(path + " with " + name, path, with(sample, path, text))));
            }
        }
        return out;
    }

    /** The leaves of a body as maps and lists, by path ({@code signals[0].ref}); an empty list is a leaf. */
    static Map<String, Object> leaves(Object body, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> out.putAll(leaves(v, prefix.isEmpty() ? k.toString() : prefix + "." + k)));
        } else if (body instanceof List<?> list && !list.isEmpty()) {
            for (int i = 0; i < list.size(); i++) {
                out.putAll(leaves(list.get(i), prefix + "[" + i + "]"));
            }
        } else if (!prefix.isEmpty()) {
            out.put(prefix, body);
        }
        return out;
    }

    /** A deep copy of {@code body} with the leaf at {@code path} replaced by {@code value}. */
    @SuppressWarnings("unchecked")
    static Object with(Object body, String path, Object value) {
        Object copy = copy(body);
        Object parent = copy;
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            steps.add(bracket < 0 ? part : part.substring(0, bracket));
            if (bracket >= 0) {
                for (String index : part.substring(bracket + 1, part.length() - 1).split("]\\[")) {
                    steps.add("[" + index);
                }
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step.startsWith("[")) {
                List<Object> list = (List<Object>) parent;
                int index = Integer.parseInt(step.substring(1));
                if (last) {
                    list.set(index, value);
                } else {
                    parent = list.get(index);
                }
            } else {
                Map<String, Object> map = (Map<String, Object>) parent;
                if (last) {
                    map.put(step, value);
                } else {
                    parent = map.get(step);
                }
            }
        }
        return copy;
    }

    private static Object copy(Object body) {
        if (body instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), copy(v)));
            return out;
        }
        if (body instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(copy(v)));
            return out;
        }
        return body;
    }
}
