"""pyzbar's wheel for Windows carries libzbar and libiconv DLLs in its package folder, where it
loads them from; keep them there (elsewhere the list is empty and the runtime hook finds zbar)."""

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("pyzbar")
