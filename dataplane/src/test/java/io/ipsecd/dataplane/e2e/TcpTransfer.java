package io.ipsecd.dataplane.e2e;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Both ends of a TCP transfer with a content check, run in a namespace as a child process:
 * {@code sink ADDRESS PORT} prints {@code LISTENING}, then {@code SHA256 <hex> <bytes>} of what it
 * got; {@code source ADDRESS PORT BYTES} sends seeded random blocks, each starting with
 * {@link #MARKER} (what a WAN capture must never show), and prints the same line for what it sent.
 */
public final class TcpTransfer {
  public static final String MARKER = "IPSECD-PLAINTEXT-MARKER";
  private static final int BLOCK = 64 * 1024;

  private TcpTransfer() {}

  public static void main(String[] args) throws Exception {
    InetAddress address = InetAddress.ofLiteral(args[1]);
    int port = Integer.parseInt(args[2]);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long total = 0;
    byte[] buf = new byte[BLOCK];
    if (args[0].equals("sink")) {
      try (ServerSocket server = new ServerSocket()) {
        server.bind(new InetSocketAddress(address, port));
        server.setSoTimeout(30_000);
        System.out.println("LISTENING");
        System.out.flush();
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
          s.setSoTimeout(30_000);
          for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
            total += n;
          }
        }
      }
    } else {
      long bytes = Long.parseLong(args[3]);
      Random random = new Random(42);
      byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, port), 10_000);
        OutputStream out = s.getOutputStream();
        while (total < bytes) {
          random.nextBytes(buf);
          System.arraycopy(marker, 0, buf, 0, marker.length);
          int n = (int) Math.min(BLOCK, bytes - total);
          out.write(buf, 0, n);
          sha.update(buf, 0, n);
          total += n;
        }
        s.shutdownOutput();
      }
    }
    System.out.println("SHA256 " + HexFormat.of().formatHex(sha.digest()) + " " + total);
  }
}
