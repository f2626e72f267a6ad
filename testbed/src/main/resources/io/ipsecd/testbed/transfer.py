#!/usr/bin/python3
"""TCP transfer with a content check, for the ipsecd testbed.

  transfer.py recv BIND PORT TIMEOUT            accept one connection, hash everything until EOF
  transfer.py send HOST PORT BYTES MARKER TIMEOUT [RATE]  send BYTES of random data with MARKER every 64 KiB,
                                                   at most RATE bytes per second when given (a steady load)

Each side prints one JSON line: {"bytes": N, "sha256": HEX, "seconds": S}. The caller compares
the two hashes. The marker lets a WAN capture prove that no plaintext crossed. Every wait is bounded.
"""
import hashlib
import json
import os
import socket
import sys
import time

BLOCK = 1 << 20


def recv(bind, port, timeout):
    srv = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((bind, port))
    srv.listen(1)
    srv.settimeout(timeout)
    print("listening", file=sys.stderr, flush=True)
    conn, _ = srv.accept()
    conn.settimeout(timeout)
    digest, total, buf = hashlib.sha256(), 0, bytearray(BLOCK)
    view = memoryview(buf)
    started = time.monotonic()
    while True:
        n = conn.recv_into(buf)
        if n == 0:
            break
        digest.update(view[:n])
        total += n
    seconds = time.monotonic() - started
    conn.close()
    print(json.dumps({"bytes": total, "sha256": digest.hexdigest(), "seconds": seconds}), flush=True)


def send(host, port, total, marker, timeout, rate=0):
    block = bytearray(os.urandom(BLOCK))
    mark = marker.encode()
    for off in range(0, BLOCK - len(mark) - 8, 64 * 1024):
        block[off:off + len(mark)] = mark
    deadline = time.monotonic() + timeout
    while True:  # the receiver may not listen yet; retry, bounded by the deadline
        try:
            conn = socket.create_connection((host, port), timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    conn.settimeout(timeout)
    digest, sent, index = hashlib.sha256(), 0, 0
    started = time.monotonic()
    while sent < total:
        block[-8:] = index.to_bytes(8, "big")  # every block differs, so lost or swapped blocks change the hash
        n = min(BLOCK, total - sent)
        chunk = bytes(block[:n])
        conn.sendall(chunk)
        digest.update(chunk)
        sent += n
        index += 1
        if rate > 0:  # paced: sleep until this many bytes are due
            ahead = started + sent / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    conn.shutdown(socket.SHUT_WR)
    while conn.recv(4096):  # wait for the receiver to close: everything has arrived
        pass
    seconds = time.monotonic() - started
    conn.close()
    print(json.dumps({"bytes": sent, "sha256": digest.hexdigest(), "seconds": seconds}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    elif sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], float(sys.argv[6]),
             float(sys.argv[7]) if len(sys.argv) > 7 else 0)
    else:
        sys.exit("usage: transfer.py recv|send ...")
