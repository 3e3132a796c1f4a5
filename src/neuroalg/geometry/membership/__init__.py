"""Membership of a given function: exact decompositions, equations, witness sets."""

from .member import MemberResult as MemberResult
from .member import member as member
