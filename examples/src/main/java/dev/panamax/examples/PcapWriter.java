package dev.panamax.examples;

import dev.panamax.api.Borrowed;
import dev.panamax.api.OwnedPacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes packets to a classic libpcap capture file, the format tcpdump, tshark and Wireshark
 * read ({@code .pcap}, not pcapng).
 *
 * <pre>
 * global header, 24 bytes, once:
 *   0 magic 0xa1b2c3d4 | 4 version 2 (u16) | 6 version 4 (u16) | 8 thiszone 0 (s32)
 *   12 sigfigs 0 (u32) | 16 snaplen (u32) | 20 network 1 = LINKTYPE_ETHERNET (u32)
 * one record per packet:
 *   0 ts_sec (u32) | 4 ts_usec (u32) | 8 incl_len (u32) | 12 orig_len (u32) | 16 incl_len bytes
 * </pre>
 *
 * <p>Every field is in this machine's byte order; readers tell it from the magic number.
 * {@code incl_len} is the packet length cut to the snap length, {@code orig_len} the packet
 * length. Timestamps are microseconds since the Unix epoch.
 *
 * <p>Records are collected in one {@link ByteBuffer} over a byte array (packet bytes are copied
 * into the array, the headers are put through the buffer) and written with {@link FileChannel}
 * writes when it is full, on {@link #flush()} and on {@link #close()}: nothing is allocated per
 * packet. Not thread-safe.
 */
public final class PcapWriter implements AutoCloseable {
  /** The magic number of a classic pcap file with microsecond timestamps. */
  public static final int MAGIC = 0xA1B2C3D4;
  /** Major version of the format. */
  public static final int VERSION_MAJOR = 2;
  /** Minor version of the format. */
  public static final int VERSION_MINOR = 4;
  /** Link-layer header type of Ethernet frames. */
  public static final int LINKTYPE_ETHERNET = 1;
  /** Snap length written by default: no Ethernet frame is cut. */
  public static final int DEFAULT_SNAPLEN = 65535;
  /** Size of the global header. */
  public static final int FILE_HEADER_BYTES = 24;
  /** Size of each record's header. */
  public static final int RECORD_HEADER_BYTES = 16;
  /** Size of the write buffer by default. */
  public static final int DEFAULT_BUFFER_BYTES = 256 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final byte[] bytes;
  private final ByteBuffer buffer;
  private final int snaplen;
  private long packets;
  private long packetBytes;
  private long fileBytes;
  private boolean closed;

  private PcapWriter(Path file, FileChannel channel, int snaplen, int bufferBytes) {
    this.file = file;
    this.channel = channel;
    this.snaplen = snaplen;
    this.bytes = new byte[bufferBytes];
    this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }

  /**
   * Creates (or truncates) a capture file with the default snap length and buffer, and writes
   * its global header.
   *
   * @param file the file to write
   * @return the writer
   * @throws UncheckedIOException naming the file and the step when it cannot be created
   */
  public static PcapWriter create(Path file) {
    return create(file, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES);
  }

  /**
   * Creates (or truncates) a capture file and writes its global header.
   *
   * @param file the file to write
   * @param snaplen the largest number of bytes kept per packet, 1 to 262144
   * @param bufferBytes size of the write buffer, at least {@value #FILE_HEADER_BYTES}
   * @return the writer
   * @throws IllegalArgumentException if snaplen or bufferBytes is out of range
   * @throws UncheckedIOException naming the file and the step when it cannot be created
   */
  public static PcapWriter create(Path file, int snaplen, int bufferBytes) {
    if (snaplen < 1 || snaplen > 262_144) {
      throw new IllegalArgumentException("snap length must be 1 to 262144, got " + snaplen);
    }
    if (bufferBytes < FILE_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "write buffer must hold at least " + FILE_HEADER_BYTES + " bytes, got " + bufferBytes);
    }
    final FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw failure(file, "create capture file", e);
    }
    final PcapWriter writer = new PcapWriter(file, channel, snaplen, bufferBytes);
    try {
      writer.writeFileHeader();
    } catch (UncheckedIOException e) {
      writer.close();
      throw e;
    }
    return writer;
  }

  private void writeFileHeader() {
    buffer.putInt(MAGIC)
        .putShort((short) VERSION_MAJOR)
        .putShort((short) VERSION_MINOR)
        .putInt(0)
        .putInt(0)
        .putInt(snaplen)
        .putInt(LINKTYPE_ETHERNET);
    flush();
  }

  /**
   * Appends one packet as a record. The packet is only read.
   *
   * @param packet the packet, borrowed
   * @param epochMicros its timestamp: microseconds since 1970-01-01T00:00Z
   * @throws UncheckedIOException naming the file when a write fails
   */
  public void write(@Borrowed OwnedPacket packet, long epochMicros) {
    checkOpen();
    final int length = packet.length();
    final int included = Math.min(length, snaplen);
    if (buffer.remaining() < RECORD_HEADER_BYTES) {
      flush();
    }
    buffer.putInt((int) (epochMicros / 1_000_000L))
        .putInt((int) (epochMicros % 1_000_000L))
        .putInt(included)
        .putInt(length);
    // Straight into the buffer's array; a packet larger than the free space goes in pieces.
    int done = 0;
    while (done < included) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      final int piece = Math.min(included - done, buffer.remaining());
      final int position = buffer.position();
      packet.copyTo(done, bytes, position, piece);
      buffer.position(position + piece);
      done += piece;
    }
    packets++;
    packetBytes += included;
  }

  /**
   * Writes every buffered byte to the file. Does nothing when nothing is buffered.
   *
   * @throws UncheckedIOException naming the file when a write fails
   */
  public void flush() {
    checkOpen();
    if (buffer.position() == 0) {
      return;
    }
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        fileBytes += channel.write(buffer);
      }
    } catch (IOException e) {
      throw failure(file, "write capture file", e);
    } finally {
      buffer.clear();
    }
  }

  /**
   * Returns the number of records written (or buffered).
   *
   * @return packets
   */
  public long packets() {
    return packets;
  }

  /**
   * Returns the packet bytes written (or buffered), the sum of {@code incl_len}.
   *
   * @return bytes of packet data
   */
  public long packetBytes() {
    return packetBytes;
  }

  /**
   * Returns the bytes written to the file so far, headers included; buffered bytes are not
   * counted until they are flushed.
   *
   * @return file size written
   */
  public long fileBytes() {
    return fileBytes;
  }

  /**
   * Returns the capture file.
   *
   * @return the path given at creation
   */
  public Path file() {
    return file;
  }

  /**
   * Flushes and closes the file. Idempotent.
   *
   * @throws UncheckedIOException naming the file when the last write or the close fails
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      flush();
    } finally {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        throw failure(file, "close capture file", e);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(file + ": capture file is closed");
    }
  }

  private static UncheckedIOException failure(Path file, String step, IOException e) {
    return new UncheckedIOException(file + ": " + step + ": " + describe(e), e);
  }

  /** The reason of an I/O failure without the file name the exception usually repeats. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    final String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }
}
