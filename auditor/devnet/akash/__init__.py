"""A local Akash REST (LCD) endpoint playing a simulated, seeded Akash economy in the official API's shapes.

No Akash or Cosmos node can be installed here, so the demo and the tests talk to this instead. It is the test
double of a node and nothing else: it imports nothing from `auditor` outside this package, and the indexer
shares no code with it. README.md beside this file lists the paths it serves and where each shape comes from.
"""
