// SPDX-License-Identifier: MIT
// Written by tools/build_contracts.py: a Chainlink proxy's phase getters; the devnet sets storage.
pragma solidity 0.8.37;

contract FeedProxy {
    uint16 public phaseId;
    mapping(uint16 => address) public phaseAggregators;
}
