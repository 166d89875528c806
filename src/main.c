#include <stdio.h>
int main(void) { puts("mpd5"); return 0; }
