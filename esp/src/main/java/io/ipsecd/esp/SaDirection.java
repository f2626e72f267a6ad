package io.ipsecd.esp;

public enum SaDirection { INBOUND, OUTBOUND }
