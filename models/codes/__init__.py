"""A verification code's whole life: issuing rules and the issue use case, quota, phone
numbers and SMS, verify (code to token), certificate (token to certificate), expiry
and user reports.
"""
