"""Members and their deposits (anggota, simpanan): the register, deposits and exits."""
