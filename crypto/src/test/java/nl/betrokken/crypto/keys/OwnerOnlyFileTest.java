package nl.betrokken.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFileTest {
    @TempDir
    Path dir;

    @Test
    void writeIfAbsent_whenManyRace_exactlyOneWinsAndAllReadItsContent() throws Exception {
        Path target = dir.resolve("key");
        int racers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Boolean>> created = new java.util.ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String text = "racer " + i;
            created.add(pool.submit(() -> {
                start.await();
                return OwnerOnlyFile.writeIfAbsent(target, text);
            }));
        }
        start.countDown();
        int winners = 0;
        for (java.util.concurrent.Future<Boolean> f : created) {
            winners += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, winners);
        String content = OwnerOnlyFile.read(target);
        assertEquals(true, content.startsWith("racer "));
        assertEquals(false, OwnerOnlyFile.writeIfAbsent(target, "late"));
        assertEquals(content, OwnerOnlyFile.read(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void writeThenRead_roundTripsTheText() throws IOException {
        Path file = dir.resolve("key.txt");
        String text = "line one\nline two with ünïcödé\n";
        OwnerOnlyFile.write(file, text);
        assertEquals(text, OwnerOnlyFile.read(file));
    }

    @Test
    void write_leavesOwnerReadWriteOnlyAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("key.txt");
        OwnerOnlyFile.write(file, "first");
        OwnerOnlyFile.write(file, "second");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void read_withGroupReadable_throwsNamingPathAndPermissions() throws IOException {
        Path file = dir.resolve("key.txt");
        OwnerOnlyFile.write(file, "secret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> OwnerOnlyFile.read(file));
        assertEquals(file + " has permissions rw-r-----; must be readable by its owner only (chmod 600)",
                e.getMessage());
    }

    @Test
    void read_withSymlinkToOwnerOnlyFile_throwsNamingTheLink() throws IOException {
        Path target = dir.resolve("key.txt");
        OwnerOnlyFile.write(target, "secret");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), target);
        KeyFileException e = assertThrows(KeyFileException.class, () -> OwnerOnlyFile.read(link));
        assertEquals(link + " is a symbolic link; must be a regular file", e.getMessage());
    }

    @Test
    void read_withDirectory_throws() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> OwnerOnlyFile.read(sub));
        assertEquals(sub + " is not a regular file", e.getMessage());
    }

    @Test
    void read_withInvalidUtf8_throws() throws IOException {
        Path file = dir.resolve("key.txt");
        Files.write(file, new byte[] {'a', (byte) 0xff, 'b'});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> OwnerOnlyFile.read(file));
        assertEquals(file + " is not valid UTF-8", e.getMessage());
    }
}
