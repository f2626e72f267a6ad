package io.ipsecd.cli.archfixture.dataplane;

/** Test fixture: a stand-in for a dataplane class. */
public final class SaTable {}
