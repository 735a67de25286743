"""SQL on signing-key bookkeeping: system token and certificate keys, realm signing
keys.
"""
