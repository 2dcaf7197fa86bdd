"""The method's own home: where methodology owners draft, compare, try out and publish new versions
of the question bank and the rule set, and learn from how the method is used."""
