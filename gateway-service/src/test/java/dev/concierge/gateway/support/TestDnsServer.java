package dev.concierge.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for tests: it answers TXT queries from a map (name → the
 * strings of each record), NOERROR without answers for other types of a known name, SERVFAIL for names marked
 * failing, nothing at all for names marked silent, and NXDOMAIN for everything else. Just enough of RFC 1035 for
 * the JDK's JNDI DNS client.
 */
public final class TestDnsServer implements AutoCloseable {

    private static final int TXT = 16;

    private final DatagramSocket socket;
    private final Map<String, List<List<String>>> txt = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    private TestDnsServer() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public static TestDnsServer start() {
        try {
            return new TestDnsServer();
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code host:port}, as GATEWAY_DNS_SERVER takes it. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Sets the TXT records of {@code name}: one record per string. */
    public void txt(String name, String... records) {
        txt.put(key(name), java.util.Arrays.stream(records).map(List::of).toList());
    }

    /** Sets one TXT record of {@code name} made of several strings. */
    public void txtStrings(String name, String... strings) {
        txt.put(key(name), List.of(List.of(strings)));
    }

    public void servfail(String name) {
        failing.add(key(name));
    }

    public void silent(String name) {
        silent.add(key(name));
    }

    public void clear() {
        txt.clear();
        failing.clear();
        silent.clear();
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] answer = answer(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] query) {
        // question: QNAME (labels), QTYPE, QCLASS right after the 12-byte header
        StringBuilder name = new StringBuilder();
        int pos = 12;
        while (query[pos] != 0) {
            int length = query[pos] & 0xff;
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(query, pos + 1, length, StandardCharsets.US_ASCII));
            pos += length + 1;
        }
        int questionEnd = pos + 5;
        int type = (query[pos + 1] & 0xff) << 8 | query[pos + 2] & 0xff;
        String asked = key(name.toString());
        if (silent.contains(asked)) {
            return null;
        }
        List<List<String>> records = txt.get(asked);
        int rcode = failing.contains(asked) ? 2 : records == null ? 3 : 0;
        List<List<String>> answers = rcode == 0 && type == TXT ? records : List.of();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query[0]);
        out.write(query[1]); // the query's id
        out.write(0x84 | query[2] & 0x01); // QR, authoritative, RD copied
        out.write(0x80 | rcode); // RA, RCODE
        writeShort(out, 1); // one question
        writeShort(out, answers.size());
        writeShort(out, 0);
        writeShort(out, 0);
        out.write(query, 12, questionEnd - 12);
        for (List<String> record : answers) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (String string : record) {
                byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
                data.write(bytes.length);
                data.write(bytes, 0, bytes.length);
            }
            writeShort(out, 0xc00c); // the name: a pointer to the question's
            writeShort(out, TXT);
            writeShort(out, 1); // IN
            writeShort(out, 0);
            writeShort(out, 60); // TTL
            writeShort(out, data.size());
            out.writeBytes(data.toByteArray());
        }
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >> 8 & 0xff);
        out.write(value & 0xff);
    }

    @Override
    public void close() {
        socket.close();
    }
}
