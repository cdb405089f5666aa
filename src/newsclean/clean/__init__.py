"""Boilerplate removal on text: line rules, section cuts, the densest prose run."""
