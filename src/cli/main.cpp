#include <cstdio>
int main() { std::puts("Usage: kelias"); return 0; }
