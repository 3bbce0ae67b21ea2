package nl.betrokken.crypto.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A text file that holds key material and must be readable by its owner only.
 *
 * <p>Requires a POSIX file system. {@link #write} creates a temporary file in the target directory with mode
 * {@code rw-------}, writes and forces it to disk, then renames it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} and forces the directory, so readers see the old content or the new,
 * never a partial file. {@link #read} refuses a file that grants any group or other permission.
 */
public final class OwnerOnlyFile {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_BITS = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnlyFile() {}

    /**
     * Writes {@code text} (UTF-8) to {@code path} atomically, owner read/write only. Replaces an existing file.
     *
     * @throws KeyFileException if the directory does not support POSIX permissions
     * @throws IOException if the write fails; the temporary file is removed on failure
     */
    public static void write(Path path, String text) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            throw new KeyFileException(dir + ": cannot set owner-only permissions on a non-POSIX file system", e);
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // Make the rename itself durable, so a crash right after a rotation cannot bring back the old content.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /**
     * Reads the file as UTF-8 text.
     *
     * @throws KeyFileException if the file grants any group or other permission (the message names the path and
     *     the permissions found)
     * @throws IOException if the file cannot be read
     */
    public static String read(Path path) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            throw new KeyFileException(path + ": cannot check permissions on a non-POSIX file system", e);
        }
        if (!OWNER_BITS.containsAll(perms)) {
            throw new KeyFileException(path + " has permissions " + PosixFilePermissions.toString(perms)
                    + "; must be readable by its owner only (chmod 600)");
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
