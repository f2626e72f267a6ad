#!/usr/bin/python3
"""Sends one forged ESP packet, as an attacker on the WAN could, for the ipsecd testbed and demo.

  esp_forge.py udp|raw DESTINATION SPI SEQUENCE

SPI is hexadecimal, SEQUENCE any Python integer literal. The packet is the ESP header (SPI and
sequence number) followed by 64 bytes that are not a valid ciphertext, so it can never pass the
ICV check. With a sequence number the SA already received, the anti-replay window rejects it
first. 'udp' sends it ESP-in-UDP to port 4500 (RFC 3948), 'raw' as IP protocol 50.
"""
import socket
import struct
import sys


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("udp", "raw"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    transport, destination, spi, sequence = sys.argv[1], sys.argv[2], int(sys.argv[3], 16), int(sys.argv[4], 0)
    family = socket.AF_INET6 if ":" in destination else socket.AF_INET
    packet = struct.pack("!II", spi, sequence) + bytes(range(64))
    if transport == "udp":
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.sendto(packet, (destination, 4500))
    else:
        sock = socket.socket(family, socket.SOCK_RAW, 50)
        sock.sendto(packet, (destination, 0))
    sock.close()
    print("sent ESP SPI %08x sequence %d to %s (%s)" % (spi, sequence, destination, transport))


if __name__ == "__main__":
    main()
