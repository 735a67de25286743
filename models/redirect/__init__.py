"""The enx-redirect's rules (host to region, app links, store redirects) and the
directory of realms and apps it reads.
"""
