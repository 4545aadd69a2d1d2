// SPDX-License-Identifier: MIT
// Benchmark log emitter: one call emits `count` ERC-20 Transfer logs whose fields are pure functions of a global
// index i, so the indexed rows can be checked without recording them. bench/plant.py mirrors these formulas;
// compile with `python bench/build_emitter.py` (solc-js from node_modules) into TransferEmitter.bin-runtime.
pragma solidity 0.8.37;

contract TransferEmitter {
    event Transfer(address indexed from, address indexed to, uint256 value);

    uint256 private constant FROM_MUL = 0x009e3779b97f4a7c15f39cc0605cedc8341082276b;
    uint256 private constant TO_MUL = 0x00bf58476d1ce4e5b94d049bb133111eb0e8b5c0e3;
    uint256 private constant HUGE_EVERY = 1000;

    /// Emits Transfer(from(i), to(i), value(i)) for i = start .. start + count - 1.
    function emitRange(uint256 start, uint256 count) external {
        unchecked {
            for (uint256 i = start; i < start + count; ++i) {
                uint256 value = i % HUGE_EVERY == 0 ? type(uint256).max - i + 1 : i * 1e18;
                emit Transfer(address(uint160(i * FROM_MUL)), address(uint160(i * TO_MUL)), value);
            }
        }
    }
}
