#!/usr/bin/python3
"""One-shot UDP datagrams, for the ipsecd testbed.

  udp.py recv BIND PORT SECONDS MAX           print one JSON line per datagram; stop after MAX or SECONDS
  udp.py send HOST PORT PAYLOAD COUNT INTERVAL  send COUNT datagrams "PAYLOAD-<index>", INTERVAL s apart

A trap test sends exactly one datagram, so it can prove that the packet that raised the acquire is
the one that arrived (UDP never retransmits). Every wait is bounded.
"""
import json
import socket
import sys
import time


def recv(bind, port, seconds, most):
    sock = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind, port))
    deadline = time.monotonic() + seconds
    print("listening", file=sys.stderr, flush=True)
    got = 0
    while got < most:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            data, peer = sock.recvfrom(65535)
        except socket.timeout:
            break
        got += 1
        print(json.dumps({"from": peer[0], "data": data.decode("ascii", "replace")}), flush=True)


def send(host, port, payload, count, interval):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    for i in range(count):
        if i:
            time.sleep(interval)
        sock.sendto(("%s-%d" % (payload, i)).encode("ascii"), (host, port))
    print(json.dumps({"sent": count}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
    else:
        sys.exit("usage: udp.py recv|send ...")
