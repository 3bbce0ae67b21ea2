package nl.betrokken.coordinator.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;

/**
 * Times every JDBC call the coordinator makes, by statement, when the benchmark runs with {@code --sql-timing}
 * (property {@code bench.sql-timing}): the coordinator's data source is wrapped, nothing in the coordinator changes.
 *
 * <p>A statement's time is what the coordinator waits for it: the round trip, PostgreSQL's work and any lock wait
 * (with the default fetch size the driver reads all rows inside {@code executeQuery}). A transaction's time runs from
 * its first statement to the end of its commit, so the difference is the coordinator's own Java work between
 * statements.
 */
@Singleton
@Requires(property = "bench.sql-timing", value = "true")
final class SqlTiming implements BeanCreatedEventListener<DataSource>, Ordered {

    /** Calls and nanoseconds per statement kind. */
    static final Map<String, LongAdder[]> BY_STATEMENT = new ConcurrentHashMap<>();
    static final LongAdder TRANSACTION_NANOS = new LongAdder();
    static final LongAdder TRANSACTIONS = new LongAdder();
    static volatile boolean active;

    /** Before Micronaut's own wrapping (contextual connections), so that its resolver finds this wrapper as the target. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        active = true;
        DataSource target = event.getBean();
        return (DataSource) Proxy.newProxyInstance(SqlTiming.class.getClassLoader(),
                new Class<?>[] {DataSource.class, AutoCloseable.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        if (target instanceof AutoCloseable c) {
                            c.close();
                        }
                        return null;
                    }
                    Object result = invoke(target, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    static void reset() {
        BY_STATEMENT.clear();
        TRANSACTION_NANOS.reset();
        TRANSACTIONS.reset();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void record(String key, long nanos) {
        LongAdder[] a = BY_STATEMENT.computeIfAbsent(key, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        a[0].increment();
        a[1].add(nanos);
    }

    private static Connection connection(Connection target) {
        AtomicLong txStart = new AtomicLong(); // 0: no statement since the last commit or rollback
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if ((name.equals("prepareStatement") || name.equals("createStatement") || name.equals("prepareCall"))) {
                Statement s = (Statement) invoke(target, method, args);
                String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
                return statement(s, sql, txStart);
            }
            if (name.equals("commit") || name.equals("rollback") && method.getParameterCount() == 0) {
                long t = System.nanoTime();
                try {
                    return invoke(target, method, args);
                } finally {
                    long end = System.nanoTime();
                    record(name.toUpperCase(Locale.ROOT), end - t);
                    long started = txStart.getAndSet(0);
                    if (started != 0) {
                        TRANSACTION_NANOS.add(end - started);
                        TRANSACTIONS.increment();
                    }
                }
            }
            return invoke(target, method, args);
        };
        return (Connection) Proxy.newProxyInstance(SqlTiming.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static Statement statement(Statement target, String preparedSql, AtomicLong txStart) {
        List<Class<?>> interfaces = new ArrayList<>();
        for (Class<?> i : new Class<?>[] {java.sql.CallableStatement.class, java.sql.PreparedStatement.class,
                Statement.class}) {
            if (i.isInstance(target)) {
                interfaces.add(i);
                break;
            }
        }
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if (!name.startsWith("execute")) {
                return invoke(target, method, args);
            }
            String sql = preparedSql != null ? preparedSql
                    : args != null && args.length > 0 && args[0] instanceof String q ? q : "?";
            long t = System.nanoTime();
            txStart.compareAndSet(0, t);
            try {
                return invoke(target, method, args);
            } finally {
                record(kind(sql) + (name.equals("executeBatch") ? " [batch]" : ""), System.nanoTime() - t);
            }
        };
        return (Statement) Proxy.newProxyInstance(SqlTiming.class.getClassLoader(), interfaces.toArray(new Class<?>[0]), h);
    }

    /** A statement named by its first words, its IN lists and VALUES folded. */
    static String kind(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim();
        if (s.startsWith("SELECT a.signal_id, b.signal_id")) {
            return "matching query: SELECT a.signal_id, b.signal_id, a.role FROM signal_person a JOIN signal_person b ...";
        }
        s = s.replaceAll("\\(\\?(, \\?)*\\)", "(?...)");
        return s.length() > 110 ? s.substring(0, 110) + "..." : s;
    }

    /** The table of statement times, against {@code wallNanos} (the intake's elapsed time). */
    static void print(long wallNanos, long requestNanos) {
        if (!active) {
            return;
        }
        long sqlNanos = 0;
        for (LongAdder[] a : BY_STATEMENT.values()) {
            sqlNanos += a[1].sum();
        }
        System.out.printf(Locale.ROOT, "JDBC time by statement (summed over connections; the intake took %.1f s wall,"
                        + " %.1f s summed over requests):%n", wallNanos / 1e9, requestNanos / 1e9);
        System.out.println("      calls   total s  ms/call  statement");
        BY_STATEMENT.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue()[1].sum(), x.getValue()[1].sum()))
                .forEach(e -> {
                    long calls = e.getValue()[0].sum();
                    long nanos = e.getValue()[1].sum();
                    if (nanos < 50_000_000L) {
                        return;
                    }
                    System.out.printf(Locale.ROOT, "  %9d %9.2f %8.2f  %s%n", calls, nanos / 1e9, nanos / 1e6 / calls,
                            e.getKey());
                });
        long tx = TRANSACTION_NANOS.sum();
        System.out.printf(Locale.ROOT, "  all JDBC calls %.2f s; %d transactions %.2f s from first statement to commit,"
                        + " of which Java work between statements %.2f s%n",
                sqlNanos / 1e9, TRANSACTIONS.sum(), tx / 1e9, (tx - sqlNanos) / 1e9);
        System.out.println("  (with matching inside the intake, requests minus transactions is the time spent outside"
                + " them: HTTP, JSON, validation, token check, re-keying; with a separate matcher it is not)");
    }
}
